/** Application menu with the standard roles (and their shortcuts). */
import { Menu, app, type MenuItemConstructorOptions } from 'electron'

export function installMenu(): void {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `Durable Streams Inspector ${app.getVersion()}`, enabled: false }],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
