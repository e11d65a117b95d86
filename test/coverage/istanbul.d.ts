/**
 * The part of istanbul's libraries that test/coverage/renderer-report.ts uses. They ship no types; they are on
 * disk because @vitest/coverage-v8 depends on them.
 */
declare module 'istanbul-lib-coverage' {
  export interface Totals {
    total: number;
    covered: number;
    skipped: number;
    pct: number | 'Unknown';
  }
  export interface CoverageSummary {
    lines: Totals;
    statements: Totals;
    functions: Totals;
    branches: Totals;
  }
  export interface FileCoverage {
    toSummary(): CoverageSummary;
  }
  export interface CoverageMap {
    merge(other: CoverageMap | Record<string, unknown>): void;
    filter(keep: (file: string) => boolean): void;
    files(): string[];
    fileCoverageFor(file: string): FileCoverage;
    getCoverageSummary(): CoverageSummary;
  }
  const libCoverage: { createCoverageMap(data?: Record<string, unknown>): CoverageMap };
  export default libCoverage;
}

declare module 'istanbul-lib-report' {
  import type { CoverageMap } from 'istanbul-lib-coverage';
  export interface Context {
    readonly dir: string;
  }
  const libReport: {
    createContext(options: {
      dir: string;
      coverageMap: CoverageMap;
      defaultSummarizer?: 'flat' | 'nested' | 'pkg';
    }): Context;
  };
  export default libReport;
}

declare module 'istanbul-reports' {
  import type { Context } from 'istanbul-lib-report';
  const reports: {
    create(
      name: 'html' | 'json-summary' | 'text',
      options?: Record<string, unknown>,
    ): { execute(context: Context): void };
  };
  export default reports;
}
