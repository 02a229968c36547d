/**
 * Tests run the client the way Node users get it: through the `node` entry, which makes the
 * `node:http` engine the default. The fetch engine is covered by test/client/engines.test.ts
 * and by every test that injects its own `fetch`.
 */
import '../../src-shared/client/node.js'
