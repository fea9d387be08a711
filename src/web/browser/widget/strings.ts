/** The widget's own words (the offer's words come from the API, already localised). */
export interface WidgetStrings {
  region: string;
  why: string;
  price: string;
  guarantee: string;
  close: string;
  compareTitle: string;
  choose: (plan: string) => string;
  current: string;
  recommended: string;
  quoteTitle: string;
  dueNow: string;
  thenRenews: (amount: string, date: string) => string;
  afterCheckout: string;
  confirm: string;
  cancel: string;
  working: string;
  applied: string;
  scheduled: (date: string) => string;
  toCheckout: string;
  authenticate: string;
  paymentMethod: string;
  dismissed: string;
  snoozed: string;
  never: string;
  askedAdmin: string;
  failed: string;
  loading: string;
  feature: string;
}

const en: WidgetStrings = {
  region: 'Plan suggestions',
  why: 'Why am I seeing this?',
  price: 'Price',
  guarantee: 'Guarantee',
  close: 'Close',
  compareTitle: 'Compare plans',
  choose: (plan) => `Choose ${plan}`,
  current: 'Your current plan',
  recommended: 'Recommended',
  quoteTitle: 'Review your change',
  dueNow: 'Amount due now',
  thenRenews: (amount, date) => `Then ${amount} on ${date}`,
  afterCheckout: 'You will pay on the secure checkout page; nothing changes until you do.',
  confirm: 'Confirm and pay',
  cancel: 'Cancel',
  working: 'Working…',
  applied: 'Done — your plan has changed.',
  scheduled: (date) => `Scheduled: the change takes effect on ${date}.`,
  toCheckout: 'Taking you to the secure checkout page…',
  authenticate: 'Your bank asks you to confirm this payment.',
  paymentMethod: 'The payment did not go through; please update your card. Nothing has changed.',
  dismissed: 'Hidden. We will not bring this up again for a while.',
  snoozed: 'We will remind you later.',
  never: 'Understood — you will not see this offer again.',
  askedAdmin: 'Ask an owner or admin of your account to make this change.',
  failed: 'Something went wrong:',
  loading: 'Loading…',
  feature: 'Feature',
};

const de: WidgetStrings = {
  region: 'Tarifvorschläge',
  why: 'Warum sehe ich das?',
  price: 'Preis',
  guarantee: 'Garantie',
  close: 'Schließen',
  compareTitle: 'Tarife vergleichen',
  choose: (plan) => `${plan} wählen`,
  current: 'Ihr aktueller Tarif',
  recommended: 'Empfohlen',
  quoteTitle: 'Änderung prüfen',
  dueNow: 'Jetzt fällig',
  thenRenews: (amount, date) => `Danach ${amount} am ${date}`,
  afterCheckout: 'Sie bezahlen auf der sicheren Bezahlseite; bis dahin ändert sich nichts.',
  confirm: 'Bestätigen und bezahlen',
  cancel: 'Abbrechen',
  working: 'Einen Moment…',
  applied: 'Erledigt – Ihr Tarif wurde geändert.',
  scheduled: (date) => `Geplant: Die Änderung gilt ab ${date}.`,
  toCheckout: 'Weiter zur sicheren Bezahlseite…',
  authenticate: 'Ihre Bank möchte diese Zahlung bestätigen lassen.',
  paymentMethod:
    'Die Zahlung ist nicht durchgegangen; bitte aktualisieren Sie Ihre Karte. Es hat sich nichts geändert.',
  dismissed: 'Ausgeblendet. Wir sprechen das eine Weile nicht mehr an.',
  snoozed: 'Wir erinnern Sie später.',
  never: 'Verstanden – Sie sehen dieses Angebot nicht mehr.',
  askedAdmin: 'Bitten Sie einen Inhaber oder Admin Ihres Kontos um diese Änderung.',
  failed: 'Etwas ist schiefgelaufen:',
  loading: 'Wird geladen…',
  feature: 'Funktion',
};

const es: WidgetStrings = {
  ...en,
  region: 'Sugerencias de plan',
  why: '¿Por qué veo esto?',
  close: 'Cerrar',
  compareTitle: 'Comparar planes',
  choose: (plan) => `Elegir ${plan}`,
  current: 'Tu plan actual',
  recommended: 'Recomendado',
  quoteTitle: 'Revisa tu cambio',
  dueNow: 'Importe a pagar ahora',
  thenRenews: (amount, date) => `Después ${amount} el ${date}`,
  confirm: 'Confirmar y pagar',
  cancel: 'Cancelar',
  applied: 'Listo: tu plan ha cambiado.',
  feature: 'Función',
};

const ru: WidgetStrings = {
  ...en,
  region: 'Предложения тарифов',
  why: 'Почему я это вижу?',
  close: 'Закрыть',
  compareTitle: 'Сравнить тарифы',
  choose: (plan) => `Выбрать ${plan}`,
  current: 'Ваш текущий тариф',
  recommended: 'Рекомендуем',
  quoteTitle: 'Проверьте изменение',
  dueNow: 'К оплате сейчас',
  thenRenews: (amount, date) => `Затем ${amount} — ${date}`,
  confirm: 'Подтвердить и оплатить',
  cancel: 'Отмена',
  applied: 'Готово — тариф изменён.',
  feature: 'Функция',
};

const BY_LANGUAGE: Record<string, WidgetStrings> = { en, de, es, ru };

export function stringsFor(locale: string): WidgetStrings {
  return BY_LANGUAGE[locale.toLowerCase().split('-')[0] ?? 'en'] ?? en;
}
