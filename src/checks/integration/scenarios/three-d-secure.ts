import { firstLine, pathOf } from '../../ui/browser.js';
import type { MessageData } from '../../../model/messages.js';
import { clip, judgeShopperMessage } from '../../shared/shopper-message.js';
import { findChromium, launchChromium, type LaunchedBrowser } from '../../ui/browser.js';
import { checkout, type ChallengeChoice, type CheckoutVisit } from '../checkout-page.js';
import type { Params } from '../params.js';
import type { ShopperAnswer } from '../shop.js';
import { summarizeRequests, type OrderRecord, type Trial } from '../trial.js';

/** Why the scenario could not judge the merchant: not for this provider, or no browser to be the shopper. */
export type ThreeDsStop = { skip: string } | { error: 'noChromium' | 'noBrowserAt' | 'browserFailed'; data: MessageData };

// What a sentence telling the shopper the payment worked, or did not, says.
const SUCCESS = /\b(succeeded|successful(ly)?|success|thank you|thanks|received|confirmed|completed?|paid|approved|accepted)\b/i;
const FAILURE = /\b(fail(s|ed|ure)?|declined|not|could ?n[o']t|cannot|can't|unable|error|problem|wrong|rejected|cancell?ed|unsuccessful)\b/i;
// The sandbox's challenge page (stripe dialect): its visits are recorded under the intent's order.
const CHALLENGE_PATH = /^\/3ds\/challenge\//;

/**
 * Strong customer authentication: the provider asks for 3-D Secure on two orders, and the shopper
 * (headless Chromium at the merchant's checkout page) completes the challenge on the first and
 * fails it on the second. The merchant passes when it sends the shopper to the challenge, tells
 * them the outcome in a sentence (a failure with guidance), and the provider charged the first
 * order once and the second never.
 */
export async function threeDSecure(trial: Trial, params: Params): Promise<ThreeDsStop | undefined> {
  const { ctx } = trial;
  const scenario = params.scenario;
  const provider = String(params.provider ?? ctx.target.fields.provider ?? 'payready');
  if (provider !== 'stripe') return { skip: 'the sandbox emulates the 3-D Secure challenge in the stripe dialect only' };
  const executable = await findChromium(params.browser);
  if (!executable) return params.browser ? { error: 'noBrowserAt', data: { scenario, browser: params.browser } } : { error: 'noChromium', data: { scenario } };
  let launched: LaunchedBrowser;
  try {
    launched = await launchChromium(executable, ctx.signal, ctx.timeoutMs);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { error: 'browserFailed', data: { scenario, executable, cause: firstLine(error) } };
  }
  try {
    await challenge(trial, params, launched, 'Complete authentication');
    await challenge(trial, params, launched, 'Fail authentication');
  } finally {
    await launched.close();
  }
  return undefined;
}

/** One order through the checkout page, the challenge answered with `choice`, judged. */
async function challenge(trial: Trial, params: Params, launched: LaunchedBrowser, choice: ChallengeChoice): Promise<void> {
  const { shop, ctx } = trial;
  const completes = choice === 'Complete authentication';
  const order = shop.order(completes ? '3ds' : '3ds-failed', params.amount);
  let visit: CheckoutVisit | undefined;
  const { payButton, resultRole } = shop.config.checkout;
  // The shopper pays on the page (its script calls the merchant's API), not payready.
  const around = async (): Promise<ShopperAnswer> => {
    visit = await checkout(launched.browser, ctx, { url: shop.checkoutUrl(order), payButton, resultRole, choice, stepMs: params.pageTimeoutMs });
    return visit.answer;
  };
  const record = await trial.place(completes ? 'challenge completed' : 'challenge failed', order, { kind: '3ds' }, { around });
  if (visit?.screenshot) {
    trial.artifacts.push({ name: `${order.id}.png`, mediaType: 'image/png', data: visit.screenshot, description: `The shopper's last page of order ${order.id} (challenge ${completes ? 'completed' : 'failed'}), at ${visit.finalUrl}` });
  }
  const challenged = expectChallenge(trial, record, visit);
  const message = record.answer.message ?? '';
  const saw = seen(record.answer, visit);
  if (challenged && completes) {
    const told = message !== '' && judgeShopperMessage(message) !== 'notSentence' && saysSucceeded(message);
    trial.expect(record, 'shopper.message', told, 'a sentence saying the payment succeeded', message || saw, `after completing the 3-D Secure challenge the shopper was told ${saw}, not in a sentence that the payment succeeded`);
  }
  if (challenged && !completes) {
    const verdict = message === '' ? 'notSentence' : judgeShopperMessage(message);
    const why = verdict === 'notSentence' ? 'is not a sentence a shopper can read' : verdict === 'noGuidance' ? 'does not say what to do next (try again, use another card)' : 'says it succeeded';
    const ok = verdict === 'ok' && !saysSucceeded(message);
    trial.expect(record, 'shopper.message', ok, 'a sentence saying it failed, with guidance', message || saw, `after failing the 3-D Secure challenge the shopper was told ${saw}, which ${why}`);
  }
  trial.expectCharged(record, completes ? 1 : 0);
  if (challenged && record.state?.status !== undefined) {
    const paid = shop.config.pay.succeeded.includes(record.state.status);
    trial.expect(record, 'order.status', paid === completes, completes ? shop.config.pay.succeeded : 'not paid', record.state.status, `the shop records the order as "${record.state.status}" after the challenge was ${completes ? 'completed and the provider charged it' : 'failed and nothing was charged'}`);
  }
}

/** The shopper was sent to the provider's challenge page, and it recorded their visit. */
function expectChallenge(trial: Trial, record: OrderRecord, visit: CheckoutVisit | undefined): boolean {
  const visits = record.requests.filter((r) => r.method === 'GET' && CHALLENGE_PATH.test(r.path)).length;
  const shown = visit?.challenged === true && visits > 0;
  const actual = visits > 0 ? `${visits} visit(s)` : visit?.challenged ? 'a page with the challenge buttons, not the provider\'s' : 'never shown';
  const asked = record.requests.some((r) => r.outcome === 'requires_action') ? 'the provider asked for 3-D Secure' : 'the provider was never asked to confirm the payment';
  const message = visit?.challenged
    ? `the shopper was shown a page with the challenge's buttons, but the provider's 3-D Secure challenge page was never visited${summarizeRequests(record.requests)}: send the shopper to the provider's next_action.redirect_to_url`
    : `the shopper saw ${seen(record.answer, visit)} and the 3-D Secure challenge was never shown (${asked}${summarizeRequests(record.requests)}): send the shopper to the provider's next_action.redirect_to_url`;
  return trial.expect(record, 'shopper.challenge', shown, "the provider's challenge page visited", actual, message);
}

/** What the shopper saw, for a sentence: `"Your payment could not..." at /checkout`. */
function seen(answer: ShopperAnswer, visit: CheckoutVisit | undefined): string {
  const where = visit ? ` at ${pathOf(visit.finalUrl)}` : '';
  if (answer.message !== undefined) return `"${clip(answer.message)}"${where}`;
  return `nothing (${answer.error ?? 'no answer'})${where}`;
}

/** Whether a sentence tells the shopper the payment worked. */
function saysSucceeded(text: string): boolean {
  return SUCCESS.test(text) && !FAILURE.test(text);
}
