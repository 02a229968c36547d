import { CreateStreamForm } from './CreateStreamForm'
import { StreamList } from './streams/StreamList'

export function Sidebar() {
  return (
    <aside className="sidebar">
      <CreateStreamForm />
      <StreamList />
    </aside>
  )
}
