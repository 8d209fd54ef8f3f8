// The shop's orders. In memory: a real shop keeps them in its database, and the processed webhook
// event ids with them (same transaction), so a restart neither forgets nor repeats anything.

/**
 * @typedef {'pending' | 'paid' | 'split' | 'declined' | 'requires_action' | 'failed' | 'refused'} OrderStatus
 *
 * @typedef {object} Order
 * @property {string} orderId
 * @property {number} amount  minor units
 * @property {string} currency
 * @property {OrderStatus} status
 * @property {string | undefined} paymentId  the payment that settled it (the first part of a split order)
 * @property {string[]} paymentIds  every payment of a split order
 * @property {number} appliedEvents  webhook events applied to this order
 * @property {number} checkouts  how many times the shopper tried to pay (names idempotency keys)
 * @property {boolean} busy  a checkout is running
 */

export class Orders {
  /** @type {Map<string, Order>} */
  #orders = new Map();

  /**
   * @param {string} orderId
   * @returns {Order | undefined}
   */
  get(orderId) {
    return this.#orders.get(orderId);
  }

  /**
   * Starts a checkout of the order (created on first use).
   * @param {{ orderId: string, amount: number, currency: string }} input
   * @returns {Order}
   */
  startCheckout(input) {
    let order = this.#orders.get(input.orderId);
    if (!order) {
      order = { ...input, status: 'pending', paymentId: undefined, paymentIds: [], appliedEvents: 0, checkouts: 0, busy: false };
      this.#orders.set(input.orderId, order);
    }
    order.checkouts += 1;
    order.busy = true;
    return order;
  }
}

/** Statuses in which an order is paid: nothing may be charged again. */
export const PAID = new Set(['paid', 'split']);
