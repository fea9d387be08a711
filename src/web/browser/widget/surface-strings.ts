/**
 * The words of the pricing table and of the error states every element shares, per language.
 * Plan names, prices and savings come from the API, already localised; these are the frames.
 * NOTE: unknown languages fall back to English, never to a developer message.
 */
export interface SurfaceStrings {
  plans: string;
  billingPeriod: string;
  monthly: string;
  yearly: string;
  current: string;
  recommended: string;
  choose: (plan: string) => string;
  retry: string;
  errors: {
    network: string;
    signIn: string;
    notAllowed: string;
    notFound: string;
    busy: string;
    generic: string;
  };
  checkoutReturned: string;
  checkoutCanceled: string;
}

const en: SurfaceStrings = {
  plans: 'Plans',
  billingPeriod: 'Billing period',
  monthly: 'Monthly',
  yearly: 'Yearly',
  current: 'Your current plan',
  recommended: 'Recommended',
  choose: (plan) => `Choose ${plan}`,
  retry: 'Try again',
  errors: {
    network: 'We could not reach the billing service. Check your connection and try again.',
    signIn: 'Your session has ended. Please sign in again, then try again.',
    notAllowed: 'Your role cannot do this. Ask an admin of your account.',
    notFound: 'This is not available for your account.',
    busy: 'The billing service is busy right now. Please try again in a moment.',
    generic: 'Something went wrong on our side. Please try again.',
  },
  checkoutReturned: 'Thank you — your payment went through. Your plan is being updated.',
  checkoutCanceled: 'Checkout was canceled. Nothing was charged and nothing changed.',
};

const de: SurfaceStrings = {
  plans: 'Tarife',
  billingPeriod: 'Abrechnungszeitraum',
  monthly: 'Monatlich',
  yearly: 'Jährlich',
  current: 'Ihr aktueller Tarif',
  recommended: 'Empfohlen',
  choose: (plan) => `${plan} wählen`,
  retry: 'Erneut versuchen',
  errors: {
    network: 'Der Abrechnungsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    signIn: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an und versuchen Sie es dann noch einmal.',
    notAllowed: 'Ihre Rolle erlaubt das nicht. Fragen Sie eine Administratorin oder einen Administrator.',
    notFound: 'Das ist für Ihr Konto nicht verfügbar.',
    busy: 'Der Abrechnungsdienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
    generic: 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  },
  checkoutReturned: 'Danke – Ihre Zahlung ist eingegangen. Ihr Tarif wird aktualisiert.',
  checkoutCanceled: 'Der Bezahlvorgang wurde abgebrochen. Es wurde nichts berechnet und nichts geändert.',
};

const es: SurfaceStrings = {
  plans: 'Planes',
  billingPeriod: 'Periodo de facturación',
  monthly: 'Mensual',
  yearly: 'Anual',
  current: 'Tu plan actual',
  recommended: 'Recomendado',
  choose: (plan) => `Elegir ${plan}`,
  retry: 'Reintentar',
  errors: {
    network: 'No pudimos conectar con el servicio de facturación. Revisa tu conexión y vuelve a intentarlo.',
    signIn: 'Tu sesión ha terminado. Inicia sesión de nuevo y vuelve a intentarlo.',
    notAllowed: 'Tu rol no permite hacer esto. Pídeselo a un administrador de tu cuenta.',
    notFound: 'Esto no está disponible para tu cuenta.',
    busy: 'El servicio de facturación está ocupado. Vuelve a intentarlo en un momento.',
    generic: 'Algo salió mal por nuestra parte. Vuelve a intentarlo.',
  },
  checkoutReturned: 'Gracias: tu pago se ha completado. Estamos actualizando tu plan.',
  checkoutCanceled: 'Se canceló el pago. No se cobró nada y nada cambió.',
};

const ar: SurfaceStrings = {
  plans: 'الخطط',
  billingPeriod: 'فترة الفوترة',
  monthly: 'شهريًا',
  yearly: 'سنويًا',
  current: 'خطتك الحالية',
  recommended: 'موصى بها',
  choose: (plan) => `اختر ${plan}`,
  retry: 'أعد المحاولة',
  errors: {
    network: 'تعذّر الوصول إلى خدمة الفوترة. تحقّق من اتصالك ثم أعد المحاولة.',
    signIn: 'انتهت جلستك. يُرجى تسجيل الدخول مرة أخرى ثم إعادة المحاولة.',
    notAllowed: 'لا يسمح دورك بذلك. اطلب ذلك من مسؤول حسابك.',
    notFound: 'هذا غير متاح لحسابك.',
    busy: 'خدمة الفوترة مشغولة الآن. يُرجى المحاولة بعد قليل.',
    generic: 'حدث خطأ من جهتنا. يُرجى إعادة المحاولة.',
  },
  checkoutReturned: 'شكرًا لك، تمّت عملية الدفع. يجري تحديث خطتك.',
  checkoutCanceled: 'أُلغيت عملية الدفع. لم يُخصم أي مبلغ ولم يتغيّر شيء.',
};

const BY_LANGUAGE: Record<string, SurfaceStrings> = { en, de, es, ar };

export function surfaceStringsFor(locale: string): SurfaceStrings {
  return BY_LANGUAGE[locale.toLowerCase().split('-')[0] ?? 'en'] ?? en;
}
