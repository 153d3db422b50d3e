/** The config file read from the working directory when --config names none. */
export const DEFAULT_CONFIG_FILE = 'oplens.config.json';
