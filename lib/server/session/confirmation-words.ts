import 'server-only';

import { randomInt } from 'node:crypto';

/**
 * Three everyday words a terminal and the portal's confirmation page both show, so the person can
 * see that the page confirms the terminal in front of them. Not a secret (it is printed on the
 * terminal): a check by eye, about 23 bits, enough that a phisher cannot guess what someone's
 * terminal shows.
 */
const WORDS: readonly string[] = [
  'acorn', 'amber', 'anchor', 'apple', 'arrow', 'aspen', 'autumn', 'badge', 'bakery', 'bamboo',
  'banjo', 'basil', 'beacon', 'beaver', 'berry', 'birch', 'biscuit', 'blossom', 'bottle', 'breeze',
  'brick', 'bridge', 'brook', 'bucket', 'butter', 'cabin', 'cactus', 'camel', 'candle', 'canoe',
  'canyon', 'carrot', 'castle', 'cedar', 'cello', 'chalk', 'cherry', 'chess', 'cider', 'circle',
  'citrus', 'clover', 'cobalt', 'coffee', 'comet', 'copper', 'coral', 'cotton', 'cradle', 'crane',
  'crayon', 'cricket', 'crystal', 'cupcake', 'dahlia', 'daisy', 'delta', 'desert', 'diamond',
  'dolphin', 'donkey', 'dragon', 'drum', 'eagle', 'ember', 'emerald', 'engine', 'falcon', 'feather',
  'fern', 'fiddle', 'flame', 'flute', 'forest', 'fossil', 'fox', 'garden', 'garlic', 'ginger',
  'glacier', 'globe', 'goose', 'granite', 'grape', 'gravel', 'guitar', 'hammer', 'harbor', 'hazel',
  'helmet', 'heron', 'honey', 'horizon', 'iris', 'island', 'ivory', 'jacket', 'jasmine', 'jelly',
  'jigsaw', 'juniper', 'kayak', 'kettle', 'kiwi', 'koala', 'ladder', 'lagoon', 'lantern', 'lemon',
  'lily', 'lime', 'linen', 'lizard', 'lobster', 'locket', 'lotus', 'magnet', 'mango', 'maple',
  'marble', 'meadow', 'melon', 'meteor', 'mint', 'mirror', 'mitten', 'monkey', 'moss', 'mountain',
  'muffin', 'nectar', 'needle', 'nest', 'noodle', 'oak', 'oasis', 'ocean', 'olive', 'onion', 'orange',
  'orbit', 'otter', 'owl', 'paddle', 'panda', 'paper', 'parrot', 'peach', 'pebble', 'pencil',
  'pepper', 'piano', 'pickle', 'pillow', 'pine', 'planet', 'plum', 'pocket', 'pond', 'poppy',
  'prairie', 'pumpkin', 'puzzle', 'quartz', 'quill', 'rabbit', 'radish', 'rain', 'raven', 'reef',
  'ribbon', 'river', 'robin', 'rocket', 'rose', 'ruby', 'saddle', 'sage', 'salmon', 'sapphire',
  'scarf', 'seal', 'shell', 'silver', 'sketch', 'slate', 'sparrow', 'spider', 'spruce', 'squid',
  'star', 'stone', 'straw', 'summit', 'sunset', 'swan', 'tangle', 'teapot', 'thistle', 'thunder',
  'tiger', 'timber', 'toast', 'tomato', 'topaz', 'torch', 'tulip', 'tunnel', 'turtle', 'velvet',
  'violet', 'walnut', 'walrus', 'wave', 'willow', 'window', 'winter', 'wolf', 'yarrow', 'zebra',
  'zephyr', 'anvil', 'bison', 'bugle',
];

export const WORDS_PATTERN = /^[a-z]{3,10}( [a-z]{3,10}){2}$/;

export function confirmationWords(): string {
  return [0, 1, 2].map(() => WORDS[randomInt(WORDS.length)]).join(' ');
}
