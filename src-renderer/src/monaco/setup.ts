/**
 * Monaco from the local package, with its web workers bundled by Vite: nothing is fetched from
 * a CDN (the @monaco-editor/react loader is pointed at this instance).
 */
import { loader } from '@monaco-editor/react'
import * as monaco from 'monaco-editor/editor/editor.api'
// The editor features (code lens, folding, find, …) and the services they need. The JSON
// language would otherwise import them lazily, when its first model appears: after the first
// editor had fixed the service set, so every later editor logged "depends on UNKNOWN service
// ICodeLensCache" (and four more) on mount. Loading them before any editor exists avoids that.
import 'monaco-editor/internal/common/workers'
import 'monaco-editor/language/json/monaco.contribution'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import JsonWorker from 'monaco-editor/language/json/json.worker?worker'

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker()
  },
}

loader.config({ monaco })

export { monaco }
