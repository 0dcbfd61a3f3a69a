/** Figures stated in prose (filled in a later step). */
export interface ProseFigure {
  key: string;
  value: number;
  quote: string;
  offset: number;
}
export function extractProseFigures(_text: string): ProseFigure[] {
  return [];
}
