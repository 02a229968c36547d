/** Handlers of the app methods (src-shared/contract/app.ts). */
import type { AppInfo, appParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { DeepLinkInbox } from './deeplinks.js'

export interface AppDeps {
  info: AppInfo
  deepLinks: DeepLinkInbox
}

export function appHandlers(d: () => AppDeps): HandlersOf<typeof appParams> {
  return {
    'app.info': () => d().info,
    'app.takeDeepLink': () => ({ url: d().deepLinks.take() }),
  }
}
