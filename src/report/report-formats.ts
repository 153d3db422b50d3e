/** The report files oplens renders from its templates (the JSON document and the terminal text are not templated). */
export const REPORT_FORMATS = ['html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (s: string): s is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(s);

/** `html, md or html,md`, for messages and help. */
export const REPORT_FORMAT_CHOICES = `${REPORT_FORMATS.join(', ')} or ${REPORT_FORMATS.join(',')}`;
