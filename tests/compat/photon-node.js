// @silvia-odwyer/photon-node (Rust image processing, wasm-bindgen --target nodejs): an image made
// in memory, filters, resize, PNG encode/decode round trip; pixel checksums.
const photon = require('@silvia-odwyer/photon-node');
const crypto = require('node:crypto');

const w = 64, h = 48;
const px = new Uint8Array(w * h * 4);
for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
  const i = (y * w + x) * 4;
  px.set([(x * 4) & 255, (y * 5) & 255, ((x ^ y) * 3) & 255, 255], i);
}
const sum = (img) => crypto.createHash('sha256').update(img.get_raw_pixels()).digest('hex').slice(0, 16);
const img = new photon.PhotonImage(px, w, h);
console.log('source', img.get_width(), img.get_height(), sum(img));
photon.grayscale(img);
console.log('grayscale', sum(img));
const img2 = new photon.PhotonImage(px, w, h);
photon.gaussian_blur(img2, 2);
console.log('blur', sum(img2));
photon.invert(img2);
photon.adjust_contrast(img2, 30);
console.log('invert+contrast', sum(img2));
const small = photon.resize(new photon.PhotonImage(px, w, h), 16, 12, photon.SamplingFilter.Nearest);
console.log('resize', small.get_width(), small.get_height(), sum(small));
const b64 = new photon.PhotonImage(px, w, h).get_base64();
console.log('base64 png', b64.length, b64.slice(0, 40));
const back = photon.PhotonImage.new_from_base64(b64.replace(/^data:image\/png;base64,/, ''));
console.log('decoded', back.get_width(), back.get_height(), sum(back));
