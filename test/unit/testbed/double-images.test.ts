import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  defaultAvatarPng,
  previewOf,
  thumbnailOf,
} from '../../../testbed/double/files/images.js';
import { cleanPath } from '../../../testbed/double/http/router.js';

// The double's images are real ones clients can decode, sized as Mattermost sizes them; and its
// path cleaning is Go's path.Clean as gorilla/mux applies it.

function png(w: number, h: number): Buffer {
  const img = new PNG({ width: w, height: h });
  img.data.fill(200);
  return PNG.sync.write(img);
}

describe('double images', () => {
  it('generates a decodable 128x128 PNG avatar, different per user', () => {
    const a = PNG.sync.read(defaultAvatarPng('aaaaaaaaaaaaaaaaaaaaaaaaaa', 'alice'));
    const b = defaultAvatarPng('bbbbbbbbbbbbbbbbbbbbbbbbbb', 'bob');
    expect([a.width, a.height]).toEqual([128, 128]);
    expect(Buffer.compare(PNG.sync.write(a), b)).not.toBe(0);
  });

  it('fits thumbnails in 120x100 and keeps previews at most 1920 wide, as JPEG', () => {
    const wide = decodeImage('png', png(2400, 600))!;
    const thumb = jpeg.decode(thumbnailOf(wide));
    expect([thumb.width, thumb.height]).toEqual([120, 30]);
    const preview = jpeg.decode(previewOf(wide));
    expect([preview.width, preview.height]).toEqual([1920, 480]);
    const small = decodeImage('png', png(50, 40))!;
    expect(jpeg.decode(thumbnailOf(small)).width).toBe(50);
  });

  it('decodes JPEG uploads and refuses what is not an image', () => {
    const bytes = jpeg.encode({ width: 10, height: 8, data: new Uint8Array(10 * 8 * 4).fill(128) }, 80).data;
    expect(decodeImage('jpg', bytes)).toMatchObject({ width: 10, height: 8 });
    expect(decodeImage('png', Buffer.from('not a png'))).toBeNull();
    expect(decodeImage('txt', png(4, 4))).toBeNull();
  });
});

describe('cleanPath', () => {
  it('cleans double slashes and dot segments, keeping a trailing slash', () => {
    expect(cleanPath('//api/v4//users')).toBe('/api/v4/users');
    expect(cleanPath('/api/v4/users/../teams/./x/')).toBe('/api/v4/teams/x/');
    expect(cleanPath('/api/v4/system/ping')).toBe('/api/v4/system/ping');
    expect(cleanPath('/..')).toBe('/');
  });
});
