/** Entry of the `dsi` bundle (bin/dsi builds and runs it): run, flush stdout, exit. */
import { main } from './main.js'

const code = await main(process.argv.slice(2))
// Wait until everything written to stdout has been handed to the OS (pipes are asynchronous
// on some platforms), then exit: open keep-alive sockets must not hold the process.
if (process.stdout.writable) {
  await new Promise<void>((resolve) => {
    process.stdout.once('error', () => resolve()) // EPIPE: nobody reads any more
    process.stdout.write('', () => resolve())
  })
}
process.exit(code)
