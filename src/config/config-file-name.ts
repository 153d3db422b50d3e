/** The config file searched for from the working directory up when neither --config nor OPLENS_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = 'oplens.config.json';
