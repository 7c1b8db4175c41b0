// Mapbox Vector Tile 2.1 (https://github.com/mapbox/vector-tile-spec/tree/master/2.1) decoded into plain objects,
// and drawn on a tile's canvas. The map draws the hub's own tiles only, so this reads what the spec defines and
// nothing more; a malformed tile throws an Error saying where it broke, and the tile is shown as failed.
//
// Why not a library: Leaflet.VectorGrid (what the map used first) turned every feature into a Leaflet path object
// and read each response through a Blob and a FileReader; with 30 to 40 tiles of a few hundred areas a view, that
// was most of the main thread's work in the browser bench, on the same two cores as the hub it measured.

const utf8 = new TextDecoder('utf-8');

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  varint() {
    let value = 0, shift = 0, b;
    do {
      if (this.pos >= this.end) throw new Error('vector tile: a number runs past the end of its message');
      b = this.bytes[this.pos++];
      // Past 28 bits, shifts would overflow 32-bit integers: multiply instead (exact up to 2^53).
      value += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 70);
    return value;
  }

  /** The end of a length-delimited field that starts here; the reader is left at its first byte. */
  sub() {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new Error('vector tile: a field of ' + length + ' bytes runs past the end of its message');
    return end;
  }

  skip(wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos = this.sub();
    else if (wire === 5) this.pos += 4;
    else throw new Error('vector tile: unknown wire type ' + wire + ' at byte ' + this.pos);
    if (this.pos > this.end) throw new Error('vector tile: a field runs past the end of its message');
  }
}

const zigzag = n => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);

function readValue(r, end) {
  let value = null;
  while (r.pos < end) {
    const tag = r.varint(), field = tag >> 3, wire = tag & 7;
    if (field === 1 && wire === 2) { const e = r.sub(); value = utf8.decode(r.bytes.subarray(r.pos, e)); r.pos = e; }
    else if (field === 2 && wire === 5) { value = new DataView(r.bytes.buffer, r.bytes.byteOffset + r.pos, 4).getFloat32(0, true); r.pos += 4; }
    else if (field === 3 && wire === 1) { value = new DataView(r.bytes.buffer, r.bytes.byteOffset + r.pos, 8).getFloat64(0, true); r.pos += 8; }
    else if ((field === 4 || field === 5) && wire === 0) value = r.varint();
    else if (field === 6 && wire === 0) value = zigzag(r.varint());
    else if (field === 7 && wire === 0) value = r.varint() !== 0;
    else r.skip(wire);
  }
  return value;
}

/**
 * A feature's geometry in tile units (0..extent, y down): for polygons and lines, rings of points {x, y} (a polygon's
 * rings closed by their first point again); for points, one ring per point.
 */
function readGeometry(r, end, name, index) {
  const rings = [];
  let ring = null, x = 0, y = 0;
  while (r.pos < end) {
    const command = r.varint(), id = command & 7, count = command >> 3;
    if (id === 1 || id === 2) {
      for (let i = 0; i < count; i++) {
        if (r.pos >= end) throw new Error(`vector tile: layer ${name}, feature ${index}: its geometry ends inside a command`);
        x += zigzag(r.varint());
        y += zigzag(r.varint());
        if (id === 1) { ring = []; rings.push(ring); }
        else if (!ring) throw new Error(`vector tile: layer ${name}, feature ${index}: LineTo before any MoveTo`);
        ring.push({x, y});
      }
    } else if (id === 7) {
      if (ring && ring.length) ring.push({x: ring[0].x, y: ring[0].y});
    } else {
      throw new Error(`vector tile: layer ${name}, feature ${index}: unknown geometry command ${id}`);
    }
  }
  return rings;
}

function readLayer(r, end) {
  let name = '', extent = 4096;
  const keys = [], values = [], featureAt = [];
  while (r.pos < end) {
    const tag = r.varint(), field = tag >> 3, wire = tag & 7;
    if (field === 1 && wire === 2) { const e = r.sub(); name = utf8.decode(r.bytes.subarray(r.pos, e)); r.pos = e; }
    // Features first come before the keys and values their tags point into: read them once all are known.
    else if (field === 2 && wire === 2) { const e = r.sub(); featureAt.push([r.pos, e]); r.pos = e; }
    else if (field === 3 && wire === 2) { const e = r.sub(); keys.push(utf8.decode(r.bytes.subarray(r.pos, e))); r.pos = e; }
    else if (field === 4 && wire === 2) { const e = r.sub(); values.push(readValue(r, e)); r.pos = e; }
    else if (field === 5 && wire === 0) extent = r.varint();
    else r.skip(wire);
  }
  const features = featureAt.map(([start, e], index) => {
    const f = new Reader(r.bytes, start, e);
    const feature = {id: null, type: 0, properties: {}, geometry: []};
    while (f.pos < e) {
      const tag = f.varint(), field = tag >> 3, wire = tag & 7;
      if (field === 1 && wire === 0) feature.id = f.varint();
      else if (field === 2 && wire === 2) {
        const te = f.sub();
        while (f.pos < te) {
          const k = f.varint(), v = f.varint();
          if (k >= keys.length || v >= values.length) {
            throw new Error(`vector tile: layer ${name}, feature ${index}: a tag names key ${k} or value ${v}, `
              + `beyond the layer's ${keys.length} keys and ${values.length} values`);
          }
          feature.properties[keys[k]] = values[v];
        }
      } else if (field === 3 && wire === 0) feature.type = f.varint();
      else if (field === 4 && wire === 2) { const ge = f.sub(); feature.geometry = readGeometry(f, ge, name, index); f.pos = ge; }
      else f.skip(wire);
    }
    return feature;
  });
  return {name, extent, features};
}

/** A tile's layers by name: {extent, features: [{id, type (1 point, 2 line, 3 polygon), properties, geometry}]}. */
export function decodeTile(buffer) {
  const r = new Reader(new Uint8Array(buffer));
  const layers = {};
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >> 3 === 3 && (tag & 7) === 2) {
      const end = r.sub();
      const layer = readLayer(r, end);
      r.pos = end;
      layers[layer.name] = layer;
    } else {
      r.skip(tag & 7);
    }
  }
  return layers;
}

/**
 * Draws a tile's areas on its canvas context (already scaled to the tile's CSS pixels): fills batched by colour, in
 * one path per colour, then every outline in one path. {@code fill(properties)} gives a feature's colour; areas of
 * one tile never overlap, so batching changes nothing drawn, only the count of fills (a few instead of hundreds).
 */
export function paintAreas(ctx, layer, size, fill, {opacity, stroke, width}) {
  const s = size / layer.extent;
  const byColour = new Map();
  for (const f of layer.features) {
    if (f.type !== 3) continue;
    const colour = fill(f.properties);
    let path = byColour.get(colour);
    if (!path) byColour.set(colour, path = new Path2D());
    trace(path, f.geometry, s);
  }
  ctx.globalAlpha = opacity;
  const outline = new Path2D();
  for (const [colour, path] of byColour) {
    ctx.fillStyle = colour;
    ctx.fill(path);
    outline.addPath(path);
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.stroke(outline);
}

/** Draws a tile's points as circles, {@code radius(properties)} pixels, filled and outlined. */
export function paintPoints(ctx, layer, size, radius, {fill, stroke, width}) {
  const s = size / layer.extent;
  const path = new Path2D();
  for (const f of layer.features) {
    if (f.type !== 1) continue;
    const r = radius(f.properties);
    for (const ring of f.geometry) {
      for (const p of ring) {
        path.moveTo(p.x * s + r, p.y * s);
        path.arc(p.x * s, p.y * s, r, 0, 2 * Math.PI);
      }
    }
  }
  ctx.fillStyle = fill;
  ctx.fill(path);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.stroke(path);
}

function trace(path, rings, s) {
  for (const ring of rings) {
    if (ring.length < 2) continue;
    path.moveTo(ring[0].x * s, ring[0].y * s);
    for (let i = 1; i < ring.length; i++) path.lineTo(ring[i].x * s, ring[i].y * s);
    path.closePath();
  }
}
