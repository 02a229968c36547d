/** Entry of the `dsi` bundle (bin/dsi builds and runs it): run, flush stdout, exit. */
import { main } from './main.js'

const code = await main(process.argv.slice(2))
// Wait until everything written to stdout has been handed to the OS (pipes are asynchronous
// on some platforms), then exit: open keep-alive sockets must not hold the process.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
process.exit(code)
