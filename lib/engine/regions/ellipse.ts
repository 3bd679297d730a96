/**
 * Direct least-squares ellipse fitting (Fitzgibbon, Pilu & Fisher 1999, in the numerically
 * stable form of Halíř & Flusser 1998) and the geometry needed to test a fit against edges.
 */

export interface Ellipse {
  centreX: number;
  centreY: number;
  /** Semi-major and semi-minor axes, a ≥ b > 0. */
  a: number;
  b: number;
  /** Angle of the major axis from the x axis, radians in (-π/2, π/2]. */
  angle: number;
}

/** The inverse of a 3×3 matrix (row-major) into `into`; false (and `into` untouched) when it is singular. */
function invert3(m: ArrayLike<number>, into: Float64Array): boolean {
  // Indexed reads, not array destructuring (an iterator in Chromium's baseline tiers, where these run).
  const a = m[0] ?? 0;
  const b = m[1] ?? 0;
  const c = m[2] ?? 0;
  const d = m[3] ?? 0;
  const e = m[4] ?? 0;
  const f = m[5] ?? 0;
  const g = m[6] ?? 0;
  const h = m[7] ?? 0;
  const i = m[8] ?? 0;
  const co00 = e * i - f * h;
  const co01 = -(d * i - f * g);
  const co02 = d * h - e * g;
  const determinant = a * co00 + b * co01 + c * co02;
  if (Math.abs(determinant) < 1e-12) return false;
  const s = 1 / determinant;
  into[0] = co00 * s;
  into[1] = -(b * i - c * h) * s;
  into[2] = (b * f - c * e) * s;
  into[3] = co01 * s;
  into[4] = (a * i - c * g) * s;
  into[5] = -(a * f - c * d) * s;
  into[6] = co02 * s;
  into[7] = -(a * h - b * g) * s;
  into[8] = (a * e - b * d) * s;
  return true;
}

/**
 * Real eigenvalues of a 3×3 matrix (row-major), from its characteristic cubic: written into
 * `into`, their count returned (no array made: the pair search calls this about 1200 times a panel).
 */
function eigenvalues3(m: ArrayLike<number>, into: Float64Array): number {
  // Indexed reads, not array destructuring (an iterator in Chromium's baseline tiers, where these run).
  const a = m[0] ?? 0;
  const b = m[1] ?? 0;
  const c = m[2] ?? 0;
  const d = m[3] ?? 0;
  const e = m[4] ?? 0;
  const f = m[5] ?? 0;
  const g = m[6] ?? 0;
  const h = m[7] ?? 0;
  const i = m[8] ?? 0;
  // λ³ + p2 λ² + p1 λ + p0 = 0
  const p2 = -(a + e + i);
  const p1 = a * e + a * i + e * i - b * d - c * g - f * h;
  const p0 = -(a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g));
  // Depressed cubic t³ + p t + q with λ = t − p2/3.
  const shift = -p2 / 3;
  const p = p1 - (p2 * p2) / 3;
  const q = (2 * p2 * p2 * p2) / 27 - (p2 * p1) / 3 + p0;
  const discriminant = (q * q) / 4 + (p * p * p) / 27;
  if (discriminant > 1e-18) {
    const root = Math.sqrt(discriminant);
    into[0] = Math.cbrt(-q / 2 + root) + Math.cbrt(-q / 2 - root) + shift;
    return 1;
  }
  if (Math.abs(p) < 1e-18) {
    into[0] = shift;
    return 1;
  }
  const radius = 2 * Math.sqrt(-p / 3);
  const phase = Math.acos(Math.max(-1, Math.min(1, ((3 * q) / (2 * p)) * Math.sqrt(-3 / p)))) / 3;
  for (let k = 0; k < 3; k++) into[k] = radius * Math.cos(phase - (2 * Math.PI * k) / 3) + shift;
  return 3;
}

/** A null vector of (M − λI) into `into`: the largest cross product of two of its rows (zeros when all vanish). */
function eigenvector3(m: ArrayLike<number>, lambda: number, into: Float64Array): void {
  // Indexed reads, not array destructuring (an iterator in Chromium's baseline tiers, where these run).
  const a = m[0] ?? 0;
  const b = m[1] ?? 0;
  const c = m[2] ?? 0;
  const d = m[3] ?? 0;
  const e = m[4] ?? 0;
  const f = m[5] ?? 0;
  const g = m[6] ?? 0;
  const h = m[7] ?? 0;
  const i = m[8] ?? 0;
  const r00 = a - lambda;
  const r11 = e - lambda;
  const r22 = i - lambda;
  // Rows (r00, b, c), (d, r11, f), (g, h, r22); crosses of rows 0×1, 0×2, 1×2 in that order, the first largest kept.
  into[0] = 0;
  into[1] = 0;
  into[2] = 0;
  let bestNorm = 0;
  for (let pair = 0; pair < 3; pair++) {
    let x: number;
    let y: number;
    let z: number;
    if (pair === 0) {
      x = b * f - c * r11;
      y = c * d - r00 * f;
      z = r00 * r11 - b * d;
    } else if (pair === 1) {
      x = b * r22 - c * h;
      y = c * g - r00 * r22;
      z = r00 * h - b * g;
    } else {
      x = r11 * r22 - f * h;
      y = f * g - d * r22;
      z = d * h - r11 * g;
    }
    const norm = Math.hypot(x, y, z);
    if (norm > bestNorm) {
      bestNorm = norm;
      into[0] = x;
      into[1] = y;
      into[2] = z;
    }
  }
}

/** Where points are moved and scaled to before fitting: the normal equations are badly conditioned in raw pixels. */
export interface FitFrame {
  originX: number;
  originY: number;
  scale: number;
}

/**
 * Power sums Σ xⁱ yʲ (i + j ≤ 4) of points in a frame: everything a fit needs, and additive, so
 * the fit to two arcs together is the fit to the sum of their moments.
 */
export type EllipseMoments = Float64Array;

/** The power sums of the points, written into `into` (15 values) when given. */
export function ellipseMoments(xs: ArrayLike<number>, ys: ArrayLike<number>, frame: FitFrame, into?: EllipseMoments): EllipseMoments {
  const sums = into ? into.fill(0) : new Float64Array(15);
  for (let index = 0; index < xs.length; index++) {
    const x = ((xs[index] ?? 0) - frame.originX) / frame.scale;
    const y = ((ys[index] ?? 0) - frame.originY) / frame.scale;
    const x2 = x * x;
    const y2 = y * y;
    sums[0] = (sums[0] ?? 0) + 1;
    sums[1] = (sums[1] ?? 0) + x;
    sums[2] = (sums[2] ?? 0) + y;
    sums[3] = (sums[3] ?? 0) + x2;
    sums[4] = (sums[4] ?? 0) + x * y;
    sums[5] = (sums[5] ?? 0) + y2;
    sums[6] = (sums[6] ?? 0) + x2 * x;
    sums[7] = (sums[7] ?? 0) + x2 * y;
    sums[8] = (sums[8] ?? 0) + x * y2;
    sums[9] = (sums[9] ?? 0) + y2 * y;
    sums[10] = (sums[10] ?? 0) + x2 * x2;
    sums[11] = (sums[11] ?? 0) + x2 * x * y;
    sums[12] = (sums[12] ?? 0) + x2 * y2;
    sums[13] = (sums[13] ?? 0) + x * y2 * y;
    sums[14] = (sums[14] ?? 0) + y2 * y2;
  }
  return sums;
}

export function addMoments(first: EllipseMoments, second: EllipseMoments, into: EllipseMoments = new Float64Array(first.length)): EllipseMoments {
  for (let index = 0; index < first.length; index++) into[index] = (first[index] as number) + (second[index] as number);
  return into;
}

/** The frame centred on the points, scaled by their mean distance from the centre. */
export function frameOf(xs: ArrayLike<number>, ys: ArrayLike<number>): FitFrame {
  let originX = 0;
  let originY = 0;
  for (let index = 0; index < xs.length; index++) {
    originX += xs[index] ?? 0;
    originY += ys[index] ?? 0;
  }
  originX /= Math.max(1, xs.length);
  originY /= Math.max(1, xs.length);
  let spread = 0;
  for (let index = 0; index < xs.length; index++) spread += Math.hypot((xs[index] ?? 0) - originX, (ys[index] ?? 0) - originY);
  return { originX, originY, scale: spread / Math.max(1, xs.length) || 1 };
}

/**
 * The least-squares ellipse through the points, or null when they do not determine one
 * (fewer than 6 points, collinear, or a degenerate conic).
 */
export function fitEllipse(xs: ArrayLike<number>, ys: ArrayLike<number>): Ellipse | null {
  if (xs.length < 6) return null;
  const frame = frameOf(xs, ys);
  return ellipseFromMoments(ellipseMoments(xs, ys, frame, FIT_MOMENTS), frame);
}

/** fitEllipse's power sums, read before it returns: one array for every fit (each refit and single-arc fit made one). */
const FIT_MOMENTS: EllipseMoments = new Float64Array(15);

const FIT_SCRATCH = {
  s1: new Float64Array(9),
  s2: new Float64Array(9),
  s3: new Float64Array(9),
  s3Inverse: new Float64Array(9),
  t: new Float64Array(9),
  m: new Float64Array(9),
  constrained: new Float64Array(9),
  eigenvalues: new Float64Array(3),
  eigenvector: new Float64Array(3),
};

function setMatrix(into: Float64Array, a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number): void {
  into[0] = a;
  into[1] = b;
  into[2] = c;
  into[3] = d;
  into[4] = e;
  into[5] = f;
  into[6] = g;
  into[7] = h;
  into[8] = i;
}

export function ellipseFromMoments(sums: EllipseMoments, frame: FitFrame): Ellipse | null {
  const count = sums[0] ?? 0;
  const x1 = sums[1] ?? 0;
  const y1 = sums[2] ?? 0;
  const xx = sums[3] ?? 0;
  const xy = sums[4] ?? 0;
  const yy = sums[5] ?? 0;
  const xxx = sums[6] ?? 0;
  const xxy = sums[7] ?? 0;
  const xyy = sums[8] ?? 0;
  const yyy = sums[9] ?? 0;
  const xxxx = sums[10] ?? 0;
  const xxxy = sums[11] ?? 0;
  const xxyy = sums[12] ?? 0;
  const xyyy = sums[13] ?? 0;
  const yyyy = sums[14] ?? 0;
  if (count < 6) return null;
  // S1 = D1ᵀD1, S2 = D1ᵀD2, S3 = D2ᵀD2 with D1 = [x², xy, y²], D2 = [x, y, 1].
  // The 3×3 matrices live in scratch buffers reused by every fit (the pair search makes about 1200 fits a panel).
  const { s1, s2, s3, s3Inverse, t, m, constrained } = FIT_SCRATCH;
  setMatrix(s1, xxxx, xxxy, xxyy, xxxy, xxyy, xyyy, xxyy, xyyy, yyyy);
  setMatrix(s2, xxx, xxy, xx, xxy, xyy, xy, xyy, yyy, yy);
  setMatrix(s3, xx, xy, x1, xy, yy, y1, x1, y1, count);
  if (!invert3(s3, s3Inverse)) return null;
  // T = −S3⁻¹ S2ᵀ ; M = S1 + S2 T
  for (let row = 0; row < 3; row++)
    for (let column = 0; column < 3; column++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += (s3Inverse[row * 3 + k] ?? 0) * (s2[column * 3 + k] ?? 0);
      t[row * 3 + column] = -sum;
    }
  for (let row = 0; row < 3; row++)
    for (let column = 0; column < 3; column++) {
      let sum = s1[row * 3 + column] ?? 0;
      for (let k = 0; k < 3; k++) sum += (s2[row * 3 + k] ?? 0) * (t[k * 3 + column] ?? 0);
      m[row * 3 + column] = sum;
    }
  // Premultiply by C1⁻¹ for the constraint 4AC − B² = 1.
  setMatrix(constrained, (m[6] ?? 0) / 2, (m[7] ?? 0) / 2, (m[8] ?? 0) / 2, -(m[3] ?? 0), -(m[4] ?? 0), -(m[5] ?? 0), (m[0] ?? 0) / 2, (m[1] ?? 0) / 2, (m[2] ?? 0) / 2);
  // The first eigenvector that makes an ellipse (4AC − B² > 0) is the fit.
  const { eigenvalues, eigenvector } = FIT_SCRATCH;
  const roots = eigenvalues3(constrained, eigenvalues);
  let found = false;
  for (let root = 0; root < roots && !found; root++) {
    eigenvector3(constrained, eigenvalues[root] as number, eigenvector);
    found = 4 * (eigenvector[0] as number) * (eigenvector[2] as number) - (eigenvector[1] as number) * (eigenvector[1] as number) > 0;
  }
  if (!found) return null;
  const quadraticA = eigenvector[0] as number;
  const quadraticB = eigenvector[1] as number;
  const quadraticC = eigenvector[2] as number;
  const linearD = (t[0] ?? 0) * quadraticA + (t[1] ?? 0) * quadraticB + (t[2] ?? 0) * quadraticC;
  const linearE = (t[3] ?? 0) * quadraticA + (t[4] ?? 0) * quadraticB + (t[5] ?? 0) * quadraticC;
  const linearF = (t[6] ?? 0) * quadraticA + (t[7] ?? 0) * quadraticB + (t[8] ?? 0) * quadraticC;
  const ellipse = conicToEllipse(quadraticA, quadraticB, quadraticC, linearD, linearE, linearF);
  if (!ellipse) return null;
  return {
    centreX: ellipse.centreX * frame.scale + frame.originX,
    centreY: ellipse.centreY * frame.scale + frame.originY,
    a: ellipse.a * frame.scale,
    b: ellipse.b * frame.scale,
    angle: ellipse.angle,
  };
}

/** The ellipse of the conic A x² + B xy + C y² + D x + E y + F = 0 (a … f), or null when it is none. */
function conicToEllipse(a: number, b: number, c: number, d: number, e: number, f: number): Ellipse | null {
  const denominator = b * b - 4 * a * c;
  if (denominator >= 0) return null;
  const centreX = (2 * c * d - b * e) / denominator;
  const centreY = (2 * a * e - b * d) / denominator;
  const constant = a * centreX * centreX + b * centreX * centreY + c * centreY * centreY + d * centreX + e * centreY + f;
  // Eigenvalues of [[a, b/2], [b/2, c]].
  const mean = (a + c) / 2;
  const half = Math.hypot((a - c) / 2, b / 2);
  const small = mean - half;
  const large = mean + half;
  if (small * constant >= 0 || large * constant >= 0) return null;
  const major = Math.sqrt(-constant / small);
  const minor = Math.sqrt(-constant / large);
  // Eigenvector of the smaller eigenvalue: the major axis.
  let angle = Math.abs(b) < 1e-12 ? (a <= c ? 0 : Math.PI / 2) : Math.atan2(small - a, b / 2);
  if (angle > Math.PI / 2) angle -= Math.PI;
  if (angle <= -Math.PI / 2) angle += Math.PI;
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return null;
  return { centreX, centreY, a: major, b: minor, angle };
}

/** The point at parameter t (radians) on the ellipse, with its outward unit normal. */
export function ellipsePoint(ellipse: Ellipse, t: number): OutlinePoint {
  return ellipsePointInto(ellipse, Math.cos(ellipse.angle), Math.sin(ellipse.angle), t, { x: 0, y: 0, normalX: 0, normalY: 0 });
}

export interface OutlinePoint {
  x: number;
  y: number;
  normalX: number;
  normalY: number;
}

/** `ellipsePoint` written into `into`, with the cosine and sine of the ellipse's angle given: loops round an outline compute them once. */
export function ellipsePointInto(ellipse: Ellipse, cos: number, sin: number, t: number, into: OutlinePoint): OutlinePoint {
  const cosT = Math.cos(t);
  const sinT = Math.sin(t);
  const u = ellipse.a * cosT;
  const v = ellipse.b * sinT;
  // Normal of (a cos t, b sin t) in the ellipse's frame is (b cos t, a sin t).
  const nu = ellipse.b * cosT;
  const nv = ellipse.a * sinT;
  const length = Math.hypot(nu, nv) || 1;
  into.x = ellipse.centreX + u * cos - v * sin;
  into.y = ellipse.centreY + u * sin + v * cos;
  into.normalX = (nu * cos - nv * sin) / length;
  into.normalY = (nu * sin + nv * cos) / length;
  return into;
}

/** Ramanujan's approximation of the perimeter. */
export function ellipsePerimeter({ a, b }: Ellipse): number {
  const h = ((a - b) * (a - b)) / ((a + b) * (a + b));
  return Math.PI * (a + b) * (1 + (3 * h) / (10 + Math.sqrt(4 - 3 * h)));
}

/** Approximate distance (pixels) of a point from the ellipse: |r − 1| scaled by the local radius. */
export function ellipseDistance(ellipse: Ellipse, x: number, y: number): number {
  return ellipseDistanceAt(ellipse, Math.cos(ellipse.angle), Math.sin(ellipse.angle), x, y);
}

/** `ellipseDistance` with the cosine and sine of the ellipse's angle given: loops over many points compute them once. */
export function ellipseDistanceAt(ellipse: Ellipse, cos: number, sin: number, x: number, y: number): number {
  const dx = x - ellipse.centreX;
  const dy = y - ellipse.centreY;
  const u = dx * cos + dy * sin;
  const v = -dx * sin + dy * cos;
  const r = Math.hypot(u / ellipse.a, v / ellipse.b);
  if (r === 0) return ellipse.b;
  return Math.abs(r - 1) * (Math.hypot(u, v) / r);
}

/** Whether a point is inside the ellipse. */
export function insideEllipse(ellipse: Ellipse, x: number, y: number): boolean {
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  const dx = x - ellipse.centreX;
  const dy = y - ellipse.centreY;
  const u = (dx * cos + dy * sin) / ellipse.a;
  const v = (-dx * sin + dy * cos) / ellipse.b;
  return u * u + v * v <= 1;
}

/** The outline as a polygon of `count` points. */
export function ellipsePolygon(ellipse: Ellipse, count = 64): { x: number; y: number }[] {
  return Array.from({ length: count }, (_, index) => {
    const { x, y } = ellipsePoint(ellipse, (2 * Math.PI * index) / count);
    return { x, y };
  });
}
