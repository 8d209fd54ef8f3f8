import type { Params } from '../params.js';
import type { Trial } from '../trial.js';

/** Strong customer authentication, driven in Chromium (being built). */
export async function threeDSecure(trial: Trial, params: Params): Promise<string | undefined> {
  void trial;
  void params;
  return Promise.resolve('the 3-D Secure scenario is not built yet');
}
