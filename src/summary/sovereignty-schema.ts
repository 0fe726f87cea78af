import { type Static, Type } from '@sinclair/typebox';

// summary.json's `sovereignty` section: the configuration audit's verdict on each control
// (`mmdrill audit sovereignty`). Values are shown as found, except secrets, which never appear.

const Closed = { additionalProperties: false } as const;

export const SovereigntyControlResultSchema = Type.Object(
  {
    id: Type.String({ description: 'Control id, e.g. push.contents (docs/sovereignty.md lists them).' }),
    title: Type.String(),
    key: Type.String({ description: 'The configuration key read.' }),
    status: Type.Union(
      [Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-applicable'), Type.Literal('unknown')],
      {
        description:
          'not-applicable: the feature it guards is off; unknown: the value could not be read (masked, or a source missing).',
      },
    ),
    found: Type.String({ description: 'What the deployment has (secrets never shown).' }),
    expected: Type.String({ description: 'What a sovereign deployment has.' }),
    why: Type.String(),
    fix: Type.String(),
    nist: Type.Array(Type.String(), { description: 'NIST SP 800-53 Rev. 5 controls it supports.' }),
    note: Type.Optional(Type.String()),
  },
  Closed,
);

export const SovereigntyReportSchema = Type.Object(
  {
    url: Type.String({ description: 'The deployment audited.' }),
    controls: Type.Array(SovereigntyControlResultSchema, {
      description: 'In the order of the control table.',
    }),
    counts: Type.Object(
      {
        pass: Type.Integer({ minimum: 0 }),
        fail: Type.Integer({ minimum: 0 }),
        notApplicable: Type.Integer({ minimum: 0 }),
        unknown: Type.Integer({ minimum: 0 }),
      },
      Closed,
    ),
    problems: Type.Array(Type.String(), { description: 'Sources that could not be read, and why.' }),
  },
  { ...Closed, description: 'The sovereignty configuration audit (`mmdrill audit sovereignty`).' },
);

export type SovereigntyReport = Static<typeof SovereigntyReportSchema>;
export type SovereigntyControlResult = Static<typeof SovereigntyControlResultSchema>;
