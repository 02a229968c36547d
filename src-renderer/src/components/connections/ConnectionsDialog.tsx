import { useState } from 'react'
import type { ConnectionInfo } from '../../../../src-shared/contract'
import type { ConnectionTestResult } from '../../../../src-shared/contract'
import { errorMessage } from '../../../../src-shared/error-message'
import { useApp } from '../../store'
import { removeConnection, switchConnection, testConnection } from '../../state/connections'
import { confirmAction } from '../../state/confirm'
import { reportError } from '../../state/ui'
import { Dialog } from '../shell/Dialog'
import { ConnectionForm } from './ConnectionForm'
import { TestLine } from './TestLine'

/** Lists profiles (Local always first) with test / edit / remove / use, and a form. */
export function ConnectionsDialog({ onClose }: { onClose: () => void }) {
  const connections = useApp((s) => s.connections)
  const connectionId = useApp((s) => s.connectionId)
  const [editing, setEditing] = useState<ConnectionInfo | 'new' | null>(null)
  const [tests, setTests] = useState<Record<string, ConnectionTestResult | string>>({})

  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set())
  const test = async (id: string): Promise<void> => {
    setTesting((t) => new Set(t).add(id))
    try {
      const r = await testConnection({ id })
      setTests((t) => ({ ...t, [id]: r }))
    } catch (err) {
      setTests((t) => ({ ...t, [id]: errorMessage(err) }))
    } finally {
      setTesting((t) => {
        const n = new Set(t)
        n.delete(id)
        return n
      })
    }
  }

  return (
    <Dialog title="Connections" onClose={onClose} testId="connections-dialog">
      {editing ? (
        <ConnectionForm
          initial={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : (
        <>
          <ul className="connection-list">
            {connections.map((c) => {
              const t = tests[c.id]
              return (
                <li key={c.id} className="card" data-testid="connection-row" data-id={c.id}>
                  <div className="row">
                    <strong>{c.name}</strong>
                    {c.kind === 'embedded' && <span className="badge">embedded</span>}
                    {c.id === connectionId && <span className="badge on">in use</span>}
                    <div className="spacer" />
                    <button
                      className="small"
                      data-testid="test-connection"
                      disabled={testing.has(c.id)}
                      onClick={() => void test(c.id)}
                    >
                      {testing.has(c.id) ? 'Testing…' : 'Test'}
                    </button>
                    {c.id !== connectionId && (
                      <button
                        className="small"
                        data-testid="use-connection"
                        onClick={() => {
                          // Closed at once: a slow server must not hold a modal dialog open
                          // (the list says it is loading, the top bar's dot that it waits).
                          onClose()
                          void switchConnection(c.id).catch((err: unknown) =>
                            reportError('Could not switch connection', err),
                          )
                        }}
                      >
                        Use
                      </button>
                    )}
                    {c.kind === 'remote' && c.id !== 'server' && (
                      <>
                        <button
                          className="small"
                          data-testid="edit-connection"
                          onClick={() => setEditing(c)}
                        >
                          Edit
                        </button>
                        <button
                          className="small danger"
                          data-testid="remove-connection"
                          onClick={() =>
                            void confirmAction(
                              'Remove connection',
                              `Remove connection "${c.name}" and its stored secrets?`,
                              'Remove',
                            )
                              .then((ok) => (ok ? removeConnection(c.id) : undefined))
                              .catch((err: unknown) =>
                                reportError('Could not remove the connection', err),
                              )
                          }
                        >
                          Remove
                        </button>
                      </>
                    )}
                  </div>
                  <div className="muted mono small">{c.baseUrl}</div>
                  {c.headerNames.length > 0 && (
                    <div className="muted small" data-testid="connection-headers">
                      {c.headerNames.map((h) => `${h}: ••••••`).join(' · ')}
                    </div>
                  )}
                  {t !== undefined && <TestLine result={t} />}
                </li>
              )
            })}
          </ul>
          <div className="row end">
            <button
              className="primary"
              data-testid="add-connection"
              onClick={() => setEditing('new')}
            >
              Add connection
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
