/**
 * `<map>` without a tile server: a Web Mercator projection of the markers around the map's centre,
 * drawn on a plain canvas — grid, pins with their labels, callouts (ALWAYS, or BYCLICK once tapped)
 * and the user's position. Distances and order on screen match what the real map would show.
 */
export interface MapMarker {
  id?: number | string;
  latitude: number;
  longitude: number;
  title?: string;
  label?: { content?: string };
  callout?: { content?: string; display?: 'ALWAYS' | 'BYCLICK' };
}

export interface MapInput {
  width: number;
  height: number;
  latitude: number;
  longitude: number;
  scale: number;
  markers: MapMarker[];
  includePoints: { latitude: number; longitude: number }[];
  opened: Set<number | string>;
  location?: { latitude: number; longitude: number };
}

interface Placed {
  marker: MapMarker;
  x: number;
  y: number;
  callout?: { x: number; y: number; width: number; height: number };
}

export interface MapView {
  placed: Placed[];
}

const TILE = 256;

function project(latitude: number, longitude: number, zoom: number): { x: number; y: number } {
  const size = TILE * 2 ** zoom;
  const sin = Math.sin((Math.max(-85, Math.min(85, latitude)) * Math.PI) / 180);
  return {
    x: ((longitude + 180) / 360) * size,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size,
  };
}

/** The zoom (and centre) that fits every include-point with a margin, as `include-points` does. */
function fit(input: MapInput): { latitude: number; longitude: number; zoom: number } {
  const points = input.includePoints;
  if (points.length === 0) return { latitude: input.latitude, longitude: input.longitude, zoom: input.scale };
  const lats = points.map((p) => p.latitude);
  const lngs = points.map((p) => p.longitude);
  const center = {
    latitude: (Math.min(...lats) + Math.max(...lats)) / 2,
    longitude: (Math.min(...lngs) + Math.max(...lngs)) / 2,
  };
  for (let zoom = 18; zoom >= 3; zoom--) {
    const a = project(Math.max(...lats), Math.min(...lngs), zoom);
    const b = project(Math.min(...lats), Math.max(...lngs), zoom);
    if (b.x - a.x < input.width * 0.8 && b.y - a.y < input.height * 0.8) return { ...center, zoom };
  }
  return { ...center, zoom: 3 };
}

export function drawMap(canvas: HTMLCanvasElement, input: MapInput): MapView {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(input.width * ratio);
  canvas.height = Math.round(input.height * ratio);
  canvas.style.width = `${input.width}px`;
  canvas.style.height = `${input.height}px`;
  const ctx = canvas.getContext('2d');
  const view: MapView = { placed: [] };
  if (!ctx) return view;
  ctx.scale(ratio, ratio);
  const { latitude, longitude, zoom } = fit(input);
  const centre = project(latitude, longitude, zoom);
  const toScreen = (lat: number, lng: number) => {
    const p = project(lat, lng, zoom);
    return { x: p.x - centre.x + input.width / 2, y: p.y - centre.y + input.height / 2 };
  };

  ctx.fillStyle = '#eef2e6';
  ctx.fillRect(0, 0, input.width, input.height);
  ctx.strokeStyle = '#d9dfcf';
  ctx.lineWidth = 1;
  const step = 64;
  const offsetX = (-centre.x + input.width / 2) % step;
  const offsetY = (-centre.y + input.height / 2) % step;
  for (let x = offsetX; x < input.width; x += step) ctx.strokeRect(Math.round(x) + 0.5, -1, 0, input.height + 2);
  for (let y = offsetY; y < input.height; y += step) ctx.strokeRect(-1, Math.round(y) + 0.5, input.width + 2, 0);
  ctx.fillStyle = '#8a9280';
  ctx.font = '10px sans-serif';
  ctx.fillText(`预览地图 · 无底图 · 缩放 ${zoom}`, 6, input.height - 6);

  if (input.location) {
    const me = toScreen(input.location.latitude, input.location.longitude);
    ctx.fillStyle = 'rgba(25,137,250,0.2)';
    ctx.beginPath();
    ctx.arc(me.x, me.y, 14, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#1989fa';
    ctx.beginPath();
    ctx.arc(me.x, me.y, 6, 0, Math.PI * 2);
    ctx.fill();
  }

  for (const marker of input.markers) {
    const { x, y } = toScreen(marker.latitude, marker.longitude);
    ctx.fillStyle = '#e64340';
    ctx.beginPath();
    ctx.arc(x, y - 16, 8, Math.PI, 0);
    ctx.lineTo(x, y);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(x, y - 16, 3, 0, Math.PI * 2);
    ctx.fill();
    const placed: Placed = { marker, x, y };
    const label = marker.label?.content ?? '';
    if (label) {
      ctx.fillStyle = '#333';
      ctx.font = '11px sans-serif';
      ctx.fillText(label, x + 10, y - 8);
    }
    const callout = marker.callout?.content;
    const open = marker.callout?.display === 'ALWAYS' || input.opened.has(marker.id ?? '');
    if (callout && open) {
      ctx.font = '12px sans-serif';
      const width = ctx.measureText(callout).width + 16;
      const box = { x: x - width / 2, y: y - 56, width, height: 24 };
      ctx.fillStyle = '#fff';
      ctx.strokeStyle = '#ccc';
      ctx.beginPath();
      ctx.roundRect(box.x, box.y, box.width, box.height, 4);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = '#333';
      ctx.fillText(callout, box.x + 8, box.y + 16);
      placed.callout = box;
    } else if (marker.title && !label) {
      ctx.fillStyle = '#333';
      ctx.font = '11px sans-serif';
      ctx.fillText(marker.title, x + 10, y - 8);
    }
    view.placed.push(placed);
  }
  return view;
}

export function mapHitTest(
  view: MapView,
  x: number,
  y: number,
): { kind: 'marker' | 'callout'; marker: MapMarker } | undefined {
  for (const placed of [...view.placed].reverse()) {
    const box = placed.callout;
    if (box && x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height)
      return { kind: 'callout', marker: placed.marker };
    if (Math.abs(x - placed.x) <= 12 && y >= placed.y - 28 && y <= placed.y + 4)
      return { kind: 'marker', marker: placed.marker };
  }
  return undefined;
}
