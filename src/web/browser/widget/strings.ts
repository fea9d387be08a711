import { arabicStrings } from './strings-ar';

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
  /** After buying an add-on (the plan did not change). */
  purchased: (item: string) => string;
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
  lineDiscount: (regular: string, discount: string, net: string) => string;
  guaranteeDays: (days: number) => string;
  stillWaiting: string;
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
  purchased: (item) => `Done — ${item} has been added to your account.`,
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
  lineDiscount: (regular, discount, net) => `${regular} − ${discount} bundle discount = ${net}`,
  guaranteeDays: (days) => `${days}-day money-back guarantee`,
  stillWaiting:
    'Still waiting for the payment to be confirmed. Your change will apply as soon as it is; you can close this.',
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
  purchased: (item) => `Erledigt – ${item} wurde Ihrem Konto hinzugefügt.`,
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
  lineDiscount: (regular, discount, net) => `${regular} − ${discount} Paketrabatt = ${net}`,
  guaranteeDays: (days) => `${days} Tage Geld-zurück-Garantie`,
  stillWaiting:
    'Die Bestätigung der Zahlung steht noch aus. Ihre Änderung gilt, sobald sie da ist; Sie können dies schließen.',
};

const es: WidgetStrings = {
  region: 'Sugerencias de plan',
  why: '¿Por qué veo esto?',
  price: 'Precio',
  guarantee: 'Garantía',
  close: 'Cerrar',
  compareTitle: 'Comparar planes',
  choose: (plan) => `Elegir ${plan}`,
  current: 'Tu plan actual',
  recommended: 'Recomendado',
  quoteTitle: 'Revisa tu cambio',
  dueNow: 'Importe a pagar ahora',
  thenRenews: (amount, date) => `Después ${amount} el ${date}`,
  afterCheckout: 'Pagarás en la página de pago segura; nada cambia hasta entonces.',
  confirm: 'Confirmar y pagar',
  cancel: 'Cancelar',
  working: 'Un momento…',
  applied: 'Listo: tu plan ha cambiado.',
  purchased: (item) => `Listo: ${item} se ha añadido a tu cuenta.`,
  scheduled: (date) => `Programado: el cambio se aplica el ${date}.`,
  toCheckout: 'Te llevamos a la página de pago segura…',
  authenticate: 'Tu banco te pide confirmar este pago.',
  paymentMethod: 'El pago no se completó; actualiza tu tarjeta. No ha cambiado nada.',
  dismissed: 'Oculto. No volveremos a mencionarlo durante un tiempo.',
  snoozed: 'Te lo recordaremos más tarde.',
  never: 'Entendido: no volverás a ver esta oferta.',
  askedAdmin: 'Pide a un propietario o administrador de tu cuenta que haga este cambio.',
  failed: 'Algo salió mal:',
  loading: 'Cargando…',
  feature: 'Función',
  lineDiscount: (regular, discount, net) => `${regular} − ${discount} de descuento del paquete = ${net}`,
  guaranteeDays: (days) => `Garantía de devolución de ${days} días`,
  stillWaiting: 'Aún esperamos la confirmación del pago. Tu cambio se aplicará en cuanto llegue; puedes cerrar esto.',
};

const ru: WidgetStrings = {
  region: 'Предложения тарифов',
  why: 'Почему я это вижу?',
  price: 'Цена',
  guarantee: 'Гарантия',
  close: 'Закрыть',
  compareTitle: 'Сравнить тарифы',
  choose: (plan) => `Выбрать ${plan}`,
  current: 'Ваш текущий тариф',
  recommended: 'Рекомендуем',
  quoteTitle: 'Проверьте изменение',
  dueNow: 'К оплате сейчас',
  thenRenews: (amount, date) => `Затем ${amount} — ${date}`,
  afterCheckout: 'Оплата пройдёт на защищённой странице; до этого ничего не изменится.',
  confirm: 'Подтвердить и оплатить',
  cancel: 'Отмена',
  working: 'Минутку…',
  applied: 'Готово — тариф изменён.',
  purchased: (item) => `Готово — «${item}» добавлено в ваш аккаунт.`,
  scheduled: (date) => `Запланировано: изменение вступит в силу ${date}.`,
  toCheckout: 'Переходим на защищённую страницу оплаты…',
  authenticate: 'Ваш банк просит подтвердить этот платёж.',
  paymentMethod: 'Платёж не прошёл; пожалуйста, обновите карту. Ничего не изменилось.',
  dismissed: 'Скрыто. Мы не будем напоминать об этом какое-то время.',
  snoozed: 'Напомним позже.',
  never: 'Понятно — это предложение больше не появится.',
  askedAdmin: 'Попросите владельца или администратора аккаунта сделать это изменение.',
  failed: 'Что-то пошло не так:',
  loading: 'Загрузка…',
  feature: 'Функция',
  lineDiscount: (regular, discount, net) => `${regular} − скидка пакета ${discount} = ${net}`,
  guaranteeDays: (days) => `Гарантия возврата денег ${days} дн.`,
  stillWaiting: 'Ждём подтверждения платежа. Изменение вступит в силу, как только оно придёт; это окно можно закрыть.',
};

const ja: WidgetStrings = {
  region: 'プランのご提案',
  why: 'この表示の理由',
  price: '価格',
  guarantee: '保証',
  close: '閉じる',
  compareTitle: 'プランを比較する',
  choose: (plan) => `${plan}を選ぶ`,
  current: '現在のプラン',
  recommended: 'おすすめ',
  quoteTitle: '変更内容のご確認',
  dueNow: '今回のお支払い額',
  thenRenews: (amount, date) => `以降は${date}に${amount}`,
  afterCheckout: '安全な決済ページでお支払いいただきます。お支払いまで何も変更されません。',
  confirm: '確認して支払う',
  cancel: 'キャンセル',
  working: '処理中…',
  applied: '完了しました。プランが変更されました。',
  purchased: (item) => `完了しました。${item}がアカウントに追加されました。`,
  scheduled: (date) => `予約済み：${date}に変更が適用されます。`,
  toCheckout: '安全な決済ページへ移動しています…',
  authenticate: 'カード会社からこのお支払いの確認を求められています。',
  paymentMethod: 'お支払いが完了しませんでした。カード情報を更新してください。変更は行われていません。',
  dismissed: '非表示にしました。しばらくの間この提案は表示しません。',
  snoozed: 'また後でお知らせします。',
  never: '承知しました。この提案は今後表示しません。',
  askedAdmin: 'この変更は、アカウントのオーナーまたは管理者にご依頼ください。',
  failed: '問題が発生しました：',
  loading: '読み込み中…',
  feature: '機能',
  lineDiscount: (regular, discount, net) => `${regular} − セット割引 ${discount} = ${net}`,
  guaranteeDays: (days) => `${days}日間の返金保証`,
  stillWaiting: 'お支払いの確認を待っています。確認され次第、変更が適用されます。この画面は閉じても大丈夫です。',
};

const uz: WidgetStrings = {
  region: 'Tarif takliflari',
  why: 'Nega buni koʻryapman?',
  price: 'Narx',
  guarantee: 'Kafolat',
  close: 'Yopish',
  compareTitle: 'Tariflarni solishtirish',
  choose: (plan) => `${plan}ni tanlash`,
  current: 'Joriy tarifingiz',
  recommended: 'Tavsiya etiladi',
  quoteTitle: 'Oʻzgarishni tekshiring',
  dueNow: 'Hozir toʻlanadigan summa',
  thenRenews: (amount, date) => `Keyin ${date} sanasida ${amount}`,
  afterCheckout: 'Toʻlovni xavfsiz toʻlov sahifasida qilasiz; ungacha hech narsa oʻzgarmaydi.',
  confirm: 'Tasdiqlash va toʻlash',
  cancel: 'Bekor qilish',
  working: 'Bir daqiqa…',
  applied: 'Tayyor — tarifingiz oʻzgardi.',
  purchased: (item) => `Tayyor — ${item} hisobingizga qoʻshildi.`,
  scheduled: (date) => `Rejalashtirildi: oʻzgarish ${date} sanasidan kuchga kiradi.`,
  toCheckout: 'Xavfsiz toʻlov sahifasiga oʻtmoqdasiz…',
  authenticate: 'Bankingiz bu toʻlovni tasdiqlashingizni soʻrayapti.',
  paymentMethod: 'Toʻlov oʻtmadi; iltimos, kartangizni yangilang. Hech narsa oʻzgarmadi.',
  dismissed: 'Yashirildi. Bir muddat bu haqda eslatmaymiz.',
  snoozed: 'Keyinroq eslatamiz.',
  never: 'Tushunarli — bu taklifni boshqa koʻrmaysiz.',
  askedAdmin: 'Bu oʻzgarishni hisobingiz egasi yoki administratoridan soʻrang.',
  failed: 'Nimadir xato ketdi:',
  loading: 'Yuklanmoqda…',
  feature: 'Imkoniyat',
  lineDiscount: (regular, discount, net) => `${regular} − toʻplam chegirmasi ${discount} = ${net}`,
  guaranteeDays: (days) => `${days} kunlik pulni qaytarish kafolati`,
  stillWaiting: 'Toʻlov tasdiqlanishini kutyapmiz. Tasdiqlangach, oʻzgarish kuchga kiradi; buni yopishingiz mumkin.',
};

/** The languages of the catalog and the offer copy (catalog/locales, offers/copy). */
export const WIDGET_LANGUAGES: Record<string, WidgetStrings> = { en, de, es, ru, ja, uz, ar: arabicStrings('ar') };

export function stringsFor(locale: string): WidgetStrings {
  const language = locale.toLowerCase().split('-')[0] ?? 'en';
  // NOTE: Arabic numbers follow the full locale (ar-EG: Arabic-Indic digits), like its amounts and dates.
  if (language === 'ar') return arabicStrings(locale);
  return WIDGET_LANGUAGES[language] ?? en;
}
