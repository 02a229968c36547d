import { setTheme, useUi, type ThemeChoice } from '../../state/ui'

const LABELS: Record<ThemeChoice, string> = { system: 'Auto', light: 'Light', dark: 'Dark' }

/** Theme: follow the OS (default) or force light/dark. */
export function ThemeToggle() {
  const theme = useUi((s) => s.theme)
  return (
    <select
      className="input theme-select"
      aria-label="Theme"
      data-testid="theme-select"
      value={theme}
      onChange={(e) => setTheme(e.target.value as ThemeChoice)}
    >
      {(Object.keys(LABELS) as ThemeChoice[]).map((t) => (
        <option key={t} value={t}>
          {LABELS[t]} theme
        </option>
      ))}
    </select>
  )
}
