// The error view DTO for a file that could not be read (the webview shows it with an Open as text button).
import { formatLocation, ImportError, describeError } from '../model/errors';
import type { ErrorViewDto } from '../../shared/protocol';

/** The error view the webview shows: message, where, and what format was detected or tried. */
export function toErrorView(err: unknown, fileName: string, labels: Record<string, string>): ErrorViewDto {
  const ie = err instanceof ImportError ? err : undefined;
  return {
    fileName,
    message: ie ? ie.message : describeError(err),
    detectedFormat: ie?.format ? labels[ie.format] ?? ie.format : undefined,
    formatsTried: (ie?.tried ?? []).map((f) => labels[f] ?? f),
    location: ie?.location ?? {},
    locationText: ie ? formatLocation(ie.location) : '',
  };
}
