import type { Random } from '../../common/seeded-random.js';
import {
  CODE_LANGUAGES,
  FUNCTION_WORDS,
  HASHTAGS,
  LINK_HOSTS,
  rankedVocabulary,
  SECOND_LANGUAGE_FUNCTION_WORDS,
  SECOND_LANGUAGE_WORDS,
} from './vocabulary.js';
import { ZipfSampler } from './zipf.js';

// One message of the corpus: one to three sentences whose lengths vary as chat does (most short,
// a few long), content words drawn by Zipf rank between function words, and now and then what
// makes chat text hard for a search engine and a renderer: a #hashtag, an @mention, a link, a
// fenced code block. The shares below are of the order seen in busy engineering workspaces;
// exactness is not the point, variety and reproducibility are.

export interface MessageContext {
  /** Usernames an @mention may name (the channel's members); none: no mentions. */
  usernames: readonly string[];
  /** Share of messages in the second language (0: English only). */
  secondLanguageShare: number;
}

export interface ComposedMessage {
  message: string;
  /** Hashtags in the text, with their '#'. */
  hashtags: string[];
  /** Usernames @-mentioned (without '@'). */
  mentions: string[];
  links: string[];
  hasCode: boolean;
}

/** Zipf exponent of words: natural text is close to 1. */
export const WORD_EXPONENT = 1.05;
const contentWords = new ZipfSampler(rankedVocabulary(), WORD_EXPONENT);
const secondLanguage = new ZipfSampler(SECOND_LANGUAGE_WORDS, WORD_EXPONENT);
const hashtags = new ZipfSampler(HASHTAGS, 1.2);

export const SHARES = {
  hashtag: 0.08,
  mention: 0.07,
  channelMention: 0.005,
  link: 0.04,
  code: 0.025,
  secondSentence: 0.35,
  thirdSentence: 0.1,
} as const;

/** Words in a sentence: 2–30, mostly 4–10 (a sum of uniforms, skewed by a long-sentence tail). */
function sentenceLength(rng: Random): number {
  const base = 2 + rng.int(4) + rng.int(4) + rng.int(4);
  return rng.chance(0.12) ? base + 6 + rng.int(14) : base;
}

function sentence(rng: Random, german: boolean): string {
  const n = sentenceLength(rng);
  const fill = german ? SECOND_LANGUAGE_FUNCTION_WORDS : FUNCTION_WORDS;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.4)) out.push(fill[rng.int(fill.length)]!);
    else out.push(german ? secondLanguage.draw(rng) : contentWords.draw(rng));
  }
  const text = out.join(' ');
  const end = rng.chance(0.15) ? '?' : rng.chance(0.1) ? '!' : '.';
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}`;
}

function codeBlock(rng: Random): string {
  const language = CODE_LANGUAGES[rng.int(CODE_LANGUAGES.length)]!;
  const lines = 1 + rng.int(6);
  const body = Array.from({ length: lines }, () => {
    const a = contentWords.draw(rng);
    const b = contentWords.draw(rng);
    return language === 'json' ? `  "${a}": "${b}",` : `${a}_${b} = ${rng.int(1000)}`;
  });
  return `\`\`\`${language}\n${body.join('\n')}\n\`\`\``;
}

export function composeMessage(rng: Random, context: MessageContext): ComposedMessage {
  const german = context.secondLanguageShare > 0 && rng.chance(context.secondLanguageShare);
  const parts = [sentence(rng, german)];
  if (rng.chance(SHARES.secondSentence)) parts.push(sentence(rng, german));
  if (rng.chance(SHARES.thirdSentence)) parts.push(sentence(rng, german));
  const mentions: string[] = [];
  if (context.usernames.length > 0 && rng.chance(SHARES.mention)) {
    const name = context.usernames[rng.int(context.usernames.length)]!;
    mentions.push(name);
    parts.unshift(`@${name}`);
  } else if (rng.chance(SHARES.channelMention)) {
    parts.unshift(rng.chance(0.5) ? '@here' : '@channel');
  }
  const links: string[] = [];
  if (rng.chance(SHARES.link)) {
    const host = LINK_HOSTS[rng.int(LINK_HOSTS.length)]!;
    const link = `https://${host}/${contentWords.draw(rng)}/${rng.int(10_000)}`;
    links.push(link);
    parts.push(link);
  }
  const hasCode = rng.chance(SHARES.code);
  if (hasCode) parts.push(`\n${codeBlock(rng)}`);
  const tags: string[] = [];
  if (rng.chance(SHARES.hashtag)) {
    const tag = `#${hashtags.draw(rng)}`;
    tags.push(tag);
    parts.push(tag);
  }
  return { message: parts.join(' '), hashtags: tags, mentions, links, hasCode };
}
