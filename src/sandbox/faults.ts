import { closest } from '../text.js';
import { CHECKOUT_FAULTS } from './checkout/faults.js';
import type { Fault, FaultHooks, FlagHook, StepHook, StepOf } from './fault.js';
import { OAUTH_FAULTS } from './oauth/faults.js';
import { PAYMENT_FAULTS } from './payments/faults.js';
import { TRANSPORT_FAULTS } from './transport/faults.js';
import { WEBHOOK_FAULTS } from './webhooks/faults.js';

export type { Fault, FaultInfo } from './fault.js';

/** Every fault switch, sorted by name; each concern declares its own in its `faults.ts`. */
export const FAULTS: readonly Fault[] = [...CHECKOUT_FAULTS, ...OAUTH_FAULTS, ...PAYMENT_FAULTS, ...TRANSPORT_FAULTS, ...WEBHOOK_FAULTS].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const FAULT_NAMES: readonly string[] = FAULTS.map((fault) => fault.name);

/** A fault name that is not in `FAULTS`. */
export class UnknownFaultError extends Error {
  override readonly name = 'UnknownFaultError';
  /** The name as given. */
  readonly fault: string;
  /** Closest valid name, when one is close enough to be a typo. */
  readonly suggestion: string | undefined;
  /** Every valid fault name. */
  readonly validNames: readonly string[];

  constructor(fault: string) {
    const suggestion = closest(fault, FAULT_NAMES);
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
    super(`unknown fault "${fault}"${hint}; valid faults: ${FAULT_NAMES.join(', ')}`);
    this.fault = fault;
    this.suggestion = suggestion;
    this.validNames = FAULT_NAMES;
  }
}

/** Throws `UnknownFaultError` for the first name that is not a known fault. */
export function validateFaults(names: readonly string[]): void {
  for (const name of names) {
    if (!FAULT_NAMES.includes(name)) throw new UnknownFaultError(name);
  }
}

/**
 * The faults switched on for one sandbox, and the hooks they installed: the only way the
 * sandbox's code learns about faults. It asks for a behaviour (`on`, `apply`), never for a name.
 */
export class FaultSet {
  private readonly active: readonly Fault[];
  private readonly hooks: readonly FaultHooks[];

  /** Validates `names` (throws `UnknownFaultError`), drops duplicates and installs each fault's hooks. */
  constructor(names: readonly string[] = []) {
    validateFaults(names);
    this.active = FAULTS.filter((fault) => names.includes(fault.name));
    this.hooks = this.active.map((fault) => (typeof fault.hooks === 'function' ? fault.hooks() : fault.hooks));
  }

  /** Active fault names in `FAULTS` order. */
  list(): readonly string[] {
    return this.active.map((fault) => fault.name);
  }

  /** Whether an active fault sets the flag `hook`. */
  on(hook: FlagHook): boolean {
    return this.hooks.some((hooks) => hooks[hook] === true);
  }

  /** The value (first argument) after every active fault's step `hook`, in `FAULTS` order; unchanged when none has one. */
  apply<K extends StepHook>(hook: K, ...args: Parameters<StepOf<K>>): ReturnType<StepOf<K>> {
    const [first, ...context] = args as unknown as [unknown, ...unknown[]];
    let value = first;
    for (const hooks of this.hooks) {
      // Every step hook maps its first parameter's type to itself (see `Step`), so `value` keeps its type.
      const step = hooks[hook] as ((value: unknown, ...context: unknown[]) => unknown) | undefined;
      if (step) value = step(value, ...context);
    }
    return value as ReturnType<StepOf<K>>;
  }
}
