import { describe, expect, it } from 'vitest';
import { incompleteBeta, lnGamma, studentTTwoSidedP } from '../../src/analysis/stats/student-t.js';
import { twoSidedP } from '../../src/analysis/stats/normal-cdf.js';

describe('lnGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    let fact = 1;
    for (let n = 1; n <= 20; n++) {
      expect(Math.abs(lnGamma(n) - Math.log(fact)), `n=${n}`).toBeLessThan(1e-12 * Math.max(1, Math.log(fact)));
      fact *= n;
    }
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });
});

describe('studentTTwoSidedP', () => {
  it('matches the closed forms for 1, 2 and 3 degrees of freedom', () => {
    for (const t of [0, 0.3, 1, 2.5, 7, 40, 300]) {
      const cauchy = 1 - (2 / Math.PI) * Math.atan(t);
      const df2 = 1 - t / Math.sqrt(2 + t * t);
      const u = t / Math.sqrt(3);
      const df3 = 1 - (2 / Math.PI) * (u / (1 + u * u) + Math.atan(u));
      expect(Math.abs(studentTTwoSidedP(t, 1) - cauchy), `df1 t=${t}`).toBeLessThan(1e-13);
      expect(Math.abs(studentTTwoSidedP(t, 2) - df2), `df2 t=${t}`).toBeLessThan(1e-13);
      expect(Math.abs(studentTTwoSidedP(t, 3) - df3), `df3 t=${t}`).toBeLessThan(1e-13);
      expect(studentTTwoSidedP(-t, 3)).toBe(studentTTwoSidedP(t, 3));
    }
  });

  it('matches t tables and tends to the normal for large df', () => {
    expect(studentTTwoSidedP(2.570581835636314, 5)).toBeCloseTo(0.05, 10);
    expect(studentTTwoSidedP(3.169272672616951, 10)).toBeCloseTo(0.01, 10);
    expect(studentTTwoSidedP(12.706204736174707, 1)).toBeCloseTo(0.05, 10);
    for (const t of [1, 2, 3, 4]) {
      expect(Math.abs(studentTTwoSidedP(t, 1e7) / twoSidedP(t) - 1)).toBeLessThan(1e-5);
    }
    expect(studentTTwoSidedP(Infinity, 5)).toBe(0);
  });

  it('keeps relative accuracy deep in the tail (df = 2 closed form)', () => {
    for (const t of [100, 1e3, 1e4]) {
      // 1 − t/√(2+t²) rewritten without cancellation
      const stable = 2 / (Math.sqrt(2 + t * t) * (Math.sqrt(2 + t * t) + t));
      expect(Math.abs(studentTTwoSidedP(t, 2) / stable - 1)).toBeLessThan(1e-10);
    }
  });
});

describe('incompleteBeta', () => {
  it('matches I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b', () => {
    for (const x of [0, 0.1, 0.5, 0.93, 1]) {
      expect(incompleteBeta(3.5, 1, x)).toBeCloseTo(Math.pow(x, 3.5), 13);
      expect(incompleteBeta(1, 2.5, x)).toBeCloseTo(1 - Math.pow(1 - x, 2.5), 13);
    }
  });
});
