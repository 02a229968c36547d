import Editor from '@monaco-editor/react'
import '../../monaco/setup'

/** Read-only Monaco view (local bundle and workers), loaded on demand. */
export default function MonacoView({ text, language }: { text: string; language: string }) {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === 'dark'
    : window.matchMedia('(prefers-color-scheme: dark)').matches
  return (
    <Editor
      height="100%"
      language={language}
      theme={dark ? 'vs-dark' : 'vs'}
      value={text}
      options={{
        readOnly: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 12,
        automaticLayout: true,
      }}
    />
  )
}
