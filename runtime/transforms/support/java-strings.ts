// Java's String.split(regex) for a literal one-character separator: trailing empty strings are
// dropped, so "a:" splits into ["a"] and ":" into [] (how Kafka's transforms read "a:b" pairs).
export function javaSplit(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
