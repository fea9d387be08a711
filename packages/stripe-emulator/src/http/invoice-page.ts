import type { ServerResponse } from 'node:http';
import type { EmulatorCore } from '../emulator-core';
import { formatAmount } from '../money/money-format';
import type { Invoice } from '../resource-types';
import { escapeHtml, sendPage } from './html-page';

/** The URLs Stripe gives a finalized invoice: its hosted invoice page and its PDF. */
export function hostedInvoiceUrls(
  baseUrl: string,
  invoiceId: string,
): { hosted_invoice_url: string; invoice_pdf: string } {
  return { hosted_invoice_url: `${baseUrl}/invoice/${invoiceId}`, invoice_pdf: `${baseUrl}/invoice/${invoiceId}/pdf` };
}

/** `/invoice/{id}`: the hosted invoice page; `/invoice/{id}/pdf`: the invoice as a (one-page) PDF. */
export function handleInvoicePage(core: EmulatorCore, url: URL, response: ServerResponse): void {
  const [, , invoiceId = '', format = ''] = url.pathname.split('/');
  const invoice = core.store.find<Invoice>('invoice', invoiceId);
  // NOTE: like Stripe, a draft has neither page nor PDF (hosted_invoice_url is null until finalized).
  if (!invoice || invoice.status === 'draft') return sendPage(response, 404, 'Invoice not found', '');
  const title = `Invoice ${String(invoice.number ?? invoice.id)}`;
  const total = formatAmount(Number(invoice.total), String(invoice.currency));
  const status = String(invoice.status);
  if (format === 'pdf') {
    response.writeHead(200, { 'Content-Type': 'application/pdf' });
    response.end(minimalPdf(`${title}: ${total} (${status})`));
    return;
  }
  const lines = (invoice.lines.data as Array<{ description?: string | null; amount: number }>)
    .map(
      (line) =>
        `<li>${escapeHtml(String(line.description ?? ''))}: ${formatAmount(line.amount, String(invoice.currency))}</li>`,
    )
    .join('');
  sendPage(response, 200, title, `<ul>${lines}</ul><p>Total: ${total}</p><p>Status: ${escapeHtml(status)}</p>`);
}

/** A valid single-page PDF with one line of text (Helvetica), offsets computed. */
function minimalPdf(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, (c) => `\\${c}`);
  const stream = `BT /F1 14 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}
