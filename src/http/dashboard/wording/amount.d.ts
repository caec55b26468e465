/** The typed amount in 元 (see amount.js). */
export declare const toYuanString: (typed: string, unit: string) => string
