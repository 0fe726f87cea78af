import { describe, expect, it } from 'vitest';
import { ClientStore } from '../../../src/mattermost/client-store.js';

// The drafts a client holds after `GET …/teams/{id}/drafts` (first load, GetDrafts): what
// DeleteDraft needs to send its request, as load-test-ng's store.SetDrafts.

describe('client store: drafts', () => {
  it('holds the channels of the drafts the server answered, once each', () => {
    const store = new ClientStore();
    store.knowDrafts([
      { channel_id: 'c1', root_id: '' },
      { channel_id: 'c2', root_id: 'p1' },
      { channel_id: 'c1' },
    ]);
    expect(store.drafts).toEqual(['c1', 'c2']);
  });

  it('ignores an answer that is not a list of drafts', () => {
    const store = new ClientStore();
    store.knowDrafts(undefined);
    store.knowDrafts({ message: 'not found' });
    store.knowDrafts([null, { channel_id: 3 }]);
    expect(store.drafts).toEqual([]);
  });
});
