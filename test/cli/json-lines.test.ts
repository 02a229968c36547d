/**
 * The NDJSON fast path of `dsi cat`: JSON array bodies to one line per message, whatever the
 * messages hold and wherever the bytes are split; and `dsi cat | head` ends quietly.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { JsonArrayToLines } from '../../src-main/cli/json-lines.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { shell } from './run-dsi.js'

function convert(pieces: Uint8Array[]): { text: string; messages: number } {
  const c = new JsonArrayToLines()
  const out = pieces.map((p) => Buffer.from(c.push(p)).toString('utf8')).join('')
  return { text: out, messages: c.messages }
}

describe('JsonArrayToLines', () => {
  it('turns arrays of any JSON values, split anywhere, into one compact line each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.jsonValue(), { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (bodies, cuts, pretty) => {
          const text = bodies.map((b) => JSON.stringify(b, null, pretty ? 2 : undefined)).join('')
          const bytes = Buffer.from(text)
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
          const pieces: Uint8Array[] = []
          let at = 0
          for (const p of points) {
            pieces.push(bytes.subarray(at, p))
            at = p
          }
          pieces.push(bytes.subarray(at))
          const { text: out, messages } = convert(pieces)
          const expected = bodies.flat()
          expect(messages).toBe(expected.length)
          const lines = out === '' ? [] : out.slice(0, -1).split('\n')
          expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
            expected.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          )
          expect(out === '' || out.endsWith('\n')).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps strings intact: commas, brackets, escaped quotes and backslashes', () => {
    const body = '[ "a,b", {"k":"]},[\\"\\\\"}, [1, [2]] ,"\\u2028 x" ]'
    expect(convert([Buffer.from(body)]).text).toBe(
      '"a,b"\n{"k":"]},[\\"\\\\"}\n[1,[2]]\n"\\u2028 x"\n',
    )
  })
})

describe('dsi cat into a closed pipe', () => {
  let srv: TestServer
  beforeAll(async () => {
    srv = await startServer()
  })
  afterAll(async () => {
    await srv.stop()
  })

  it('dsi cat … | head -n 1 ends quietly with exit 0', async () => {
    const client = new Client({ baseUrl: srv.url })
    const s = await client.create('/many', { contentType: 'application/json' })
    for (let i = 0; i < 20_000; i += 1_000)
      await s.append(
        new TextEncoder().encode(
          JSON.stringify(
            Array.from({ length: 1_000 }, (_, j) => ({ i: i + j, pad: 'y'.repeat(80) })),
          ),
        ),
      )
    await client.close()
    const r = await shell(`$DSI cat /many | head -n 1; echo "dsi exit \${PIPESTATUS[0]}"`, {
      env: { DSI_SERVER_URL: srv.url },
    })
    expect(r.stdout).toBe(`{"i":0,"pad":"${'y'.repeat(80)}"}\ndsi exit 0\n`)
    expect(r.stderr).toBe('')
  })
})
