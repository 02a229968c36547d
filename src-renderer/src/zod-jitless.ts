/**
 * Imported first by main.tsx, before any module that builds a zod schema. zod v4 probes for
 * eval (`new Function('')`) when it builds its first object schema; under the app's CSP
 * (script-src without 'unsafe-eval') that probe is refused and Chromium reports a CSP
 * violation for it, although zod catches the error. jitless skips the probe and the compiled
 * fast path, which the renderer's small payloads do not need.
 */
import { z } from 'zod'

z.config({ jitless: true })
