// The corpus's words. Real chat has a Zipf-shaped vocabulary: a few words in almost every message,
// a long tail seen once or twice in a whole workspace; search cost depends on which end a query
// hits (a common term reads a long posting list, a rare one a short one). So the content words
// below are listed by rank (the order is the frequency rank, most frequent first: everyday
// workplace words, then technical ones, then a tail of uncommon ones), and the corpus samples
// them with Zipf weights. Function words ("the", "and") are PostgreSQL stop words in the
// 'english' text-search configuration Mattermost uses, so they fill sentences but are never
// searched. Beyond the listed words a generated tail (tailWord) gives the thousands of words a
// workspace uses once or twice. A small German list is the optional second language (German has
// its own stop words and stemming, which the 'english' configuration does not know: a search the
// server handles less well, as real multilingual workspaces see).

/** A list written as whitespace-separated words. */
function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

export const FUNCTION_WORDS: readonly string[] = words(`
  the a to and of in is for on it that with
  we this be at i you are have was will can not
  but so if from as our or do just all about there
  they when what some an by out up still also now then
  any after before should would could
`);

/** Content words in frequency-rank order (index 0 = rank 1). */
export const CONTENT_WORDS: readonly string[] = words(`
  thanks today team meeting update please check time work need release issue
  review looks good tomorrow change deploy fix test question week call customer
  build server data plan done help project branch ticket morning status ready
  problem merge version user report note doc link share agree idea sprint
  feature error database config latency network staging production incident alert backup cluster
  schedule budget roadmap design feedback metrics dashboard pipeline upgrade migration security patch
  rollback monitoring capacity storage testing standup planning outage failover replica contract invoice
  travel lunch coffee weekend holiday afternoon channel message thread search login password
  permission service request response container kubernetes postgres index query cache memory disk
  cpu load balancer proxy certificate token endpoint webhook plugin integration script job
  queue worker timeout retry throughput bottleneck profile trace log audit compliance retention
  export import archive snapshot restore node upstream downstream vendor license renewal procurement
  approval signoff milestone deadline estimate scope requirement stakeholder workshop onboarding handover rotation
  oncall escalation runbook postmortem regression benchmark flaky coverage lint refactor dependency package
  compiler runtime frontend backend mobile desktop browser android iphone tablet keyboard monitor
  firewall vpn gateway subnet router switch bandwidth packet dns tls encryption keycloak
  saml ldap directory identity session cookie header payload quarterly offsite whiteboard retrospective
  kanban backlog grooming velocity burndown epic tarball checksum manifest sidecar daemonset statefulset
  ingress namespace helm terraform ansible playbook inventory bastion jumphost hypervisor firmware bios
  raid nvme vacuum autovacuum tablespace wal checkpoint deadlock mutex semaphore goroutine heap
  garbage collector allocation fragmentation compaction tombstone quorum raft gossip consensus sovereign enclave
  airgap disconnected satellite tactical convoy bandwidthcap degraded intermittent pelican harbour lighthouse glacier
  meadow orchard canyon lantern compass anchor saffron juniper marigold thistle bramble willow
  hazel cedar aspen sequoia quokka axolotl narwhal pangolin okapi tapir wombat capybara
  ibis heron zephyr nimbus cirrus stratus aurora equinox solstice perihelion zenith nadir
`);

/** Optional second language: German content words, also by rank. */
export const SECOND_LANGUAGE_WORDS: readonly string[] = words(`
  danke heute besprechung bitte morgen fehler frage kunde woche termin bericht freigabe
  aenderung datenbank netzwerk sicherung wartung rechnung urlaub mittagessen zusammenfassung abstimmung genehmigung ausfall
  stoerung umgebung zugang berechtigung vertrag lieferant
`);

export const SECOND_LANGUAGE_FUNCTION_WORDS: readonly string[] = words(`
  der die das und ist mit fuer wir nicht auf
`);

/** Hashtags, by rank (a few used everywhere, most rarely). */
export const HASHTAGS: readonly string[] = words(`
  incident release standup deploy oncall security postmortem customer roadmap hiring budget outage
  migration perf bug docs design ux qa infra q1 q2 q3 q4
  retro kudos til weekly offsite compliance
`);

/** Emoji reactions, by rank. */
export const EMOJI: readonly string[] = words(`
  +1 white_check_mark eyes tada heart smile joy pray rocket fire thinking_face 100
  raised_hands clap ok_hand warning x hourglass coffee bug
`);

/** Host names of links: reserved names that never resolve (RFC 2606, RFC 6761); never fetched. */
export const LINK_HOSTS: readonly string[] = words(`
  example.com docs.example.com git.example.invalid wiki.example.invalid
`);

/** Code languages of fenced blocks, by rank. */
export const CODE_LANGUAGES: readonly string[] = words(`
  bash json yaml sql go typescript python
`);

const SYLLABLES = words(`
  ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu
  ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo zu
`);

/** Words of the long tail beyond the listed ones: project names, jargon, typos, names. */
export const TAIL_WORDS = 20_000;

/**
 * The tail word of a rank (0-based within the tail): three syllables, distinct for every rank up
 * to 64,000, and never an English stop word, so each is a term of its own to the search engine.
 */
export function tailWord(rank: number): string {
  const n = SYLLABLES.length;
  return `${SYLLABLES[rank % n]}${SYLLABLES[Math.floor(rank / n) % n]}${SYLLABLES[Math.floor(rank / n / n) % n]}`;
}

/** Every content word by rank: the listed ones, then the generated tail. */
export function rankedVocabulary(): string[] {
  return [...CONTENT_WORDS, ...Array.from({ length: TAIL_WORDS }, (_, r) => tailWord(r))];
}
