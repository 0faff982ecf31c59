/**
 * Static value lists of the S3 server access log generator. Logic lives in the other files.
 */

/** SDK user agents as S3 logs them (the SDK a requester uses decides the URI style too). */
export const SDK_AGENTS = {
  js: 'aws-sdk-js/3.682.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/s3#3.682.0 m/E,Z',
  boto: 'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36',
  cli: 'aws-cli/2.18.12 md/awscrt#0.22.0 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#s3.cp',
  console: 'S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.226-192.879.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard',
} as const;

/** Key layout of the data bucket: prefix, how keys are named, their size (log-normal over bytes) and popularity. */
export const KEY_CLASSES: readonly { prefix: string; ext: string; sizeMu: number; sizeSigma: number; weight: number }[] = [
  { prefix: 'uploads/', ext: '.jpg', sizeMu: 13.4, sizeSigma: 0.7, weight: 5 },
  { prefix: 'thumbnails/', ext: '_256.jpg', sizeMu: 9.8, sizeSigma: 0.4, weight: 8 },
  { prefix: 'exports/orders/', ext: '.parquet', sizeMu: 16.5, sizeSigma: 0.8, weight: 2 },
  { prefix: 'reports/daily/', ext: '.csv', sizeMu: 11.5, sizeSigma: 0.6, weight: 1 },
];

/** Keys an enumerating client guesses (403 burst). */
export const GUESSED_KEYS: readonly string[] = [
  '.env', 'backup.sql', 'backup.zip', 'db.sql.gz', 'config.json', 'credentials', '.git/config', 'wp-config.php.bak',
  'dump.sql', 'users.csv', 'secrets.yaml', 'id_rsa', 'terraform.tfstate', 'private/keys.json', 'admin/export.csv',
];

export const TLS_CIPHER = 'TLS_AES_128_GCM_SHA256';
export const TLS_VERSION = 'TLSv1.3';
