// Schema pieces both custom resources share: status conditions and metadata templates.
import { arr, int, map, obj, str, type Schema } from './openapi.ts';

export const conditionsSchema: Schema = arr(
  'The latest observations, one per aspect (kstatus): Ready, Reconciling, Stalled.',
  obj(
    "One aspect of the resource's state.",
    {
      type: str(
        'Ready: all is as desired; Reconciling: the operator is working on it; Stalled: it cannot make progress without a change.',
        {
          enum: ['Ready', 'Reconciling', 'Stalled'],
        },
      ),
      status: str('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
      reason: str('Why, in one CamelCase word.', { maxLength: 1024 }),
      message: str('Why, for people.', { maxLength: 32768 }),
      lastTransitionTime: str('When status last changed (RFC 3339).', { format: 'date-time' }),
      observedGeneration: int('The metadata.generation this condition was computed from.', {
        format: 'int64',
        minimum: 0,
      }),
    },
    { required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'] },
  ),
  {
    maxItems: 8,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  },
);

export const metadataTemplate = (what: string): Schema =>
  obj(`Extra metadata of ${what}.`, {
    labels: map(
      `Labels added to ${what} (the operator's own labels win).`,
      str('A label value.', { maxLength: 63 }),
    ),
    annotations: map(`Annotations added to ${what}.`, str('An annotation value.')),
  });
