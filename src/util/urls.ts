// Object-store URLs (gs://b/p, s3://…, file:///…) put together from parts, one slash between each.

export function joinUrl(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].join('/');
}
