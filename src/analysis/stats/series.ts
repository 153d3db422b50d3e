/** Present points of a series with gaps: y is null (an empty bucket) or not a finite number → the point is skipped. */
export interface PresentPoints {
  /** Position of each kept point in the original series. */
  index: number[];
  values: number[];
}

export function presentPoints(ys: ReadonlyArray<number | null>): PresentPoints {
  const index: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y !== null && Number.isFinite(y)) {
      index.push(i);
      values.push(y);
    }
  }
  return { index, values };
}
