import type { WidgetStrings } from './strings';

/**
 * The widget's Arabic words. Numbers in them are formatted for the reader's locale, as the
 * amounts and dates are: Arabic-Indic digits for ar-EG/ar-SA/ar-KW…, Latin for ar-AE/ar-MA…
 * (Intl's default numbering for the locale), never both in one string (docs/i18n.md).
 */
export function arabicStrings(locale: string): WidgetStrings {
  const number = new Intl.NumberFormat(locale.toLowerCase().startsWith('ar') ? locale : 'ar');
  return {
    region: 'اقتراحات الباقات',
    why: 'لماذا أرى هذا؟',
    price: 'السعر',
    guarantee: 'الضمان',
    close: 'إغلاق',
    compareTitle: 'مقارنة الباقات',
    choose: (plan) => `اختيار ${plan}`,
    current: 'باقتك الحالية',
    recommended: 'موصى بها',
    quoteTitle: 'راجع التغيير',
    dueNow: 'المبلغ المستحق الآن',
    thenRenews: (amount, date) => `ثم ${amount} في ${date}`,
    afterCheckout: 'ستدفع في صفحة الدفع الآمنة؛ ولن يتغير شيء قبل ذلك.',
    confirm: 'تأكيد ودفع',
    cancel: 'إلغاء',
    working: 'جارٍ التنفيذ…',
    applied: 'تم — تغيّرت باقتك.',
    purchased: (item) => `تم — أُضيف ${item} إلى حسابك.`,
    scheduled: (date) => `مجدول: يسري التغيير في ${date}.`,
    toCheckout: 'ننقلك إلى صفحة الدفع الآمنة…',
    authenticate: 'يطلب منك مصرفك تأكيد هذه الدفعة.',
    paymentMethod: 'لم تنجح الدفعة؛ يُرجى تحديث بطاقتك. لم يتغير شيء.',
    dismissed: 'تم الإخفاء. لن نعرض هذا مرة أخرى لبعض الوقت.',
    snoozed: 'سنذكّرك لاحقًا.',
    never: 'حسنًا — لن ترى هذا العرض مرة أخرى.',
    askedAdmin: 'اطلب من مالك حسابك أو أحد مشرفيه إجراء هذا التغيير.',
    failed: 'حدث خطأ ما:',
    loading: 'جارٍ التحميل…',
    feature: 'الميزة',
    lineDiscount: (regular, discount, net) => `${regular} − خصم الحزمة ${discount} = ${net}`,
    guaranteeDays: (days) => `ضمان استرداد الأموال لمدة ${number.format(days)} يومًا`,
    stillWaiting: 'ما زلنا ننتظر تأكيد الدفعة. سيُطبَّق التغيير فور تأكيدها؛ يمكنك إغلاق هذه النافذة.',
  };
}
