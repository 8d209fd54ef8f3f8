import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import sarif from '../../src/reporters/sarif.js';
import { FIXED_REPORT } from './fixed-run.js';
import { FIXED_REPORT_WITH_FINDINGS } from './fixed-findings.js';
import { expectMatchesFile } from './expected.js';

/**
 * The parts of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json) this reporter uses, with the
 * constraints the standard puts on them: what code-scanning services reject an upload for.
 */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  semanticVersion: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        name: { type: 'string' },
                        shortDescription: { $ref: '#/$defs/message' },
                        help: { $ref: '#/$defs/message' },
                        defaultConfiguration: { type: 'object', properties: { level: { $ref: '#/$defs/level' } } },
                        properties: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } } },
                      },
                    },
                  },
                },
              },
            },
          },
          automationDetails: { type: 'object', properties: { id: { type: 'string' } } },
          invocations: {
            type: 'array',
            items: { type: 'object', required: ['executionSuccessful'], properties: { executionSuccessful: { type: 'boolean' }, startTimeUtc: { type: 'string', format: 'date-time' }, endTimeUtc: { type: 'string', format: 'date-time' } } },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { $ref: '#/$defs/level' },
                message: { $ref: '#/$defs/message' },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', format: 'uri-reference' }, uriBaseId: { type: 'string' } } },
                          region: { type: 'object', properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } } },
                        },
                      },
                    },
                  },
                },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                properties: { type: 'object' },
              },
            },
          },
        },
      },
    },
  },
  $defs: {
    message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
    level: { enum: ['none', 'note', 'warning', 'error'] },
  },
};

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(SARIF_SUBSET);

interface Log {
  runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: unknown } }[] }[] }[];
}

describe('sarif reporter', () => {
  const text = sarif.render(FIXED_REPORT_WITH_FINDINGS, {});
  const log = JSON.parse(text) as Log;

  it('renders the file findings of the scanners (expected output)', () => {
    expectMatchesFile(text, 'report.sarif');
  });

  it('is structurally valid SARIF 2.1.0; every result names a rule by id and index', () => {
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const [run] = log.runs;
    for (const result of run!.results) expect(run!.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('places files relative to the repository root, keeps absolute ones as file URIs, leaves out findings without a file', () => {
    const locations = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(locations).toEqual([
      { uri: 'src/config.js', uriBaseId: '%SRCROOT%' },
      { uri: '.env', uriBaseId: '%SRCROOT%' },
      { uri: 'docs/setup%20guide.md', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///var/log/shop/app.log' },
      { uri: 'checks/logs/app.log', uriBaseId: '%SRCROOT%' },
    ]);
    expect(text).not.toContain('ui/overflow');
  });

  it('a run without file findings is a valid, empty SARIF log', () => {
    const empty = JSON.parse(sarif.render(FIXED_REPORT, {})) as Log;
    expect(validate(empty)).toBe(true);
    expect(empty.runs[0]!.results).toEqual([]);
  });
});
