/** Words that press for a quick decision, per language; allowed only where an offer really ends. */
export const URGENCY: Record<string, RegExp> = {
  en: /\b(now|today|hurry|last chance|limited[- ]time|don't miss|expires?|ends|act fast)\b/i,
  de: /(jetzt|sofort|heute|nur noch|letzte chance|beeilen|endet|läuft ab)/i,
  es: /(ahora|\bhoy\b|date prisa|última oportunidad|termina|no te lo pierdas)/i,
  ru: /(сейчас|сегодня|срочно|спешите|последний шанс|успейте|заканчивается)/i,
  uz: /(hozir|bugun|shoshiling|oxirgi imkoniyat|tugaydi)/i,
  ar: /(الآن|اليوم|فورًا|أسرع|آخر فرصة|ينتهي)/,
  ja: /(今すぐ|本日|急いで|残りわずか|期間限定|終了|お見逃し)/,
};
