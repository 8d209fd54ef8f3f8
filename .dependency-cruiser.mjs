/**
 * The architecture's boundaries, checked by `npm run lint:deps` (part of `npm test`): data flows one
 * way, suite -> runner -> results -> reporters and evidence, and every part speaks the vocabulary in
 * src/model. A violation prints the rule's name and its comment; fix the import, not the rule.
 *
 * Type-only imports count (`tsPreCompilationDeps`): a type borrowed from another folder couples the
 * two as surely as a value does.
 *
 * Files directly in src/ (text.ts, sleep.ts, money.ts, errors.ts, paths.ts, files.ts, guidelines.ts)
 * belong to no folder. The rules below name folders, so they allow those files wherever they are not
 * excluded explicitly (net and model exclude them). The folder-cycle rule cannot see through them
 * either (dependency-cruiser counts them in the folder `src`, which holds every folder): keep them
 * leaves that import nothing from src/ but each other, as they are. The docs generator, which imports from
 * every part, lives outside src/ (scripts/docs/) and is not shipped.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'checks-not-reporters-cli-runner-sandbox',
      comment:
        'checks-not-reporters-cli-runner-sandbox: a check type never imports reporters, cli, runner or sandbox. It returns data ' +
        'in the words of src/model, does not know which reporter shows it or who runs it, and tests against the sandbox only ' +
        'over the network (shared provider facts such as test cards live in src/providers).',
      severity: 'error',
      from: { path: '^src/checks/' },
      to: { path: '^src/(reporters|cli|runner|sandbox)/' },
    },
    {
      name: 'reporters-not-checks',
      comment:
        'reporters-not-checks: a reporter never imports checks. It renders the report model (src/model: results, assertions, ' +
        'the operator table that words a failed assertion), whatever check type produced it.',
      severity: 'error',
      from: { path: '^src/reporters/' },
      to: { path: '^src/checks/' },
    },
    {
      name: 'runner-not-cli',
      comment:
        'runner-not-cli: the runner never imports cli. The cli wires the runner to options, the terminal and exit codes; the runner ' +
        'returns a report and emits events, and never prints or exits.',
      severity: 'error',
      from: { path: '^src/runner/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'suite-not-runner-sandbox',
      comment:
        'suite-not-runner-sandbox: the suite (loading, schema, validation) never imports runner or sandbox, so `validate` stays ' +
        'cheap and a suite means the same whatever runs it. What the embedded sandbox provides is declared in src/suite/embedded.ts.',
      severity: 'error',
      from: { path: '^src/suite/' },
      to: { path: '^src/(runner|sandbox)/' },
    },
    {
      name: 'sandbox-not-checks',
      comment:
        'sandbox-not-checks: the sandbox never imports checks. It emulates a provider the checks probe from outside; were it to ' +
        'share their code, a bug in both would agree with itself. Shared provider facts live in src/providers.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/checks/' },
    },
    {
      name: 'net-only-model',
      comment:
        'net-only-model: net (the HTTP client, TLS and TCP helpers several parts share) imports only src/model, Node built-ins ' +
        'and npm packages. The files directly in src/ are excluded too: net needs none of them, and nothing keeps them from ' +
        'importing more of src/ later; a helper net needs moves into src/model (if it imports nothing) or into net.',
      severity: 'error',
      from: { path: '^src/net/' },
      to: { path: '^src/', pathNot: '^src/(net|model)/' },
    },
    {
      name: 'model-imports-nothing',
      comment:
        'model-imports-nothing: src/model (the run vocabulary: outcome, operator table, report, interaction record, histogram) ' +
        'imports nothing outside itself, not even a package or a Node built-in, so every part of payready can speak it.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/model/' },
    },
    {
      name: 'redaction-only-at-the-exit',
      comment:
        'redaction-only-at-the-exit: only the run\'s exit (src/runner/exit.ts) uses the redactor (src/evidence/redact.ts). ' +
        'Everything a run shows or writes (events, debug lines, artifacts, the report, interaction-log lines, rendered reports, ' +
        'bundle files) leaves through the exit already redacted, so writers redact nothing themselves and no output can be missed ' +
        'by a place that forgot to. Route the data through RunExit instead of importing the redactor.',
      severity: 'error',
      from: { pathNot: '^src/(runner/exit|evidence/redact)\\.ts$' },
      to: { path: '^src/evidence/redact\\.ts$' },
    },
    {
      name: 'no-folder-cycle',
      comment:
        'no-folder-cycle: no cycle between the folders of src/ (checks -> net -> checks, even through several folders or ' +
        'type-only imports). Move the shared piece down (often into src/model) instead of importing back up. Checked on ' +
        "dependency-cruiser's folder graph; an edge counts when it leaves its top-level folder, so subfolders of one folder " +
        '(sandbox/oauth, sandbox/payments) may still lean on each other.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/([^/]+)' },
      to: { pathNot: '^src/$1(/|$)', circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/[^/]+' },
    },
  },
};
