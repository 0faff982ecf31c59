import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/errors.ts';
import { cloudTrailTime, cloudtrailFormat, CLOUDTRAIL_KEY_ORDER, parseCloudTrail, parseCloudTrailFile, serializeCloudTrail, type CloudTrailRecord } from './cloudtrail.ts';

// AWS Config developer guide, "Example Log Files" (CloudTrail records for AWS Config calls), verbatim.
const CONFIG_EXAMPLE = '{ "eventVersion": "1.02", "userIdentity": { "type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE", "arn": "arn:aws:iam::222222222222:user/JohnDoe", "accountId": "222222222222", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "userName": "JohnDoe" }, "eventTime": "2014-12-11T18:32:57Z", "eventSource": "config.amazonaws.com", "eventName": "DeleteDeliveryChannel", "awsRegion": "us-west-2", "sourceIPAddress": "10.24.34.0", "userAgent": "aws-internal/3", "requestParameters": { "deliveryChannelName": "default" }, "responseElements": null, "requestID": "207d695a-8164-11e4-ab4f-657c7ab282ab", "eventID": "5dcff7a9-e414-411a-a43e-88d122a0ad4a", "eventType": "AwsApiCall", "recipientAccountId": "222222222222" }';

// CloudTrail user guide, "CloudTrail log file examples" → Amazon EC2 (StartInstances by IAM user Mateo), as a file.
const EC2_FILE = JSON.stringify({
  Records: [{
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser', principalId: 'EXAMPLE6E4XEGITWATV6R', arn: 'arn:aws:iam::123456789012:user/Mateo', accountId: '123456789012', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'Mateo',
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'false' } },
    },
    eventTime: '2023-07-19T21:17:28Z', eventSource: 'ec2.amazonaws.com', eventName: 'StartInstances', awsRegion: 'us-east-1', sourceIPAddress: '192.0.2.0',
    userAgent: 'aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/ec2.start-instances',
    requestParameters: { instancesSet: { items: [{ instanceId: 'i-EXAMPLE56126103cb' }, { instanceId: 'i-EXAMPLEaff4840c22' }] } },
    responseElements: { requestId: 'e4336db0-149f-4a6b-844d-EXAMPLEb9d16', instancesSet: { items: [] } },
    requestID: 'e4336db0-149f-4a6b-844d-EXAMPLEb9d16', eventID: 'e755e09c-42f9-4c5c-9064-EXAMPLE228c7', readOnly: false, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: '123456789012', eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: 'ec2.us-east-1.amazonaws.com' },
    sessionCredentialFromConsole: 'true',
  }],
});

// CloudTrail user guide, "AWS Management Console sign-in events": failed sign-in with an unknown user name.
const SIGNIN_FAILURE = '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"123456789012","accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"},"eventTime":"2021-05-11T19:57:40Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:88.0) Gecko/20100101 Firefox/88.0","errorMessage":"No username found in supplied account","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true","MobileVersion":"No","MFAUsed":"No"},"eventID":"a7654656-0417-45c6-9386-ea8231385051","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}';

describe('cloudtrail format', () => {
  it('parses the AWS documentation examples', () => {
    const a = parseCloudTrail(CONFIG_EXAMPLE);
    expect(a.eventName).toBe('DeleteDeliveryChannel');
    expect(cloudtrailFormat.normalize(a).fields).toMatchObject({ identityType: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', readOnly: null, mfaAuthenticated: null });
    const [b] = parseCloudTrailFile(EC2_FILE);
    const nb = cloudtrailFormat.normalize(b!);
    expect(nb.time).toBe(Date.UTC(2023, 6, 19, 21, 17, 28));
    expect(nb.entities).toEqual({ principal: 'arn:aws:iam::123456789012:user/Mateo', accessKey: 'AKIAIOSFODNN7EXAMPLE', ip: '192.0.2.0' });
    expect(nb.fields).toMatchObject({ readOnly: false, mfaAuthenticated: false, userName: 'Mateo', requestParameters: JSON.stringify(b!.requestParameters) });
    // Serialize keeps CloudTrail's key order, so a delivered record survives parse → serialize byte for byte.
    expect(serializeCloudTrail(b!)).toBe(JSON.stringify(JSON.parse(EC2_FILE).Records[0]));
    const c = parseCloudTrail(SIGNIN_FAILURE);
    expect(serializeCloudTrail(c)).toBe(SIGNIN_FAILURE);
    expect(cloudtrailFormat.normalize(c).fields).toMatchObject({ userName: 'HIDDEN_DUE_TO_SECURITY_REASONS', accessKeyId: null, eventType: 'AwsConsoleSignIn', errorMessage: 'No username found in supplied account' });
  });

  it('writes keys in CloudTrail order however the record was built, omitting undefined ones', () => {
    const r = parseCloudTrail(SIGNIN_FAILURE);
    const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as CloudTrailRecord;
    expect(serializeCloudTrail(shuffled)).toBe(SIGNIN_FAILURE);
    const keys = Object.keys(JSON.parse(serializeCloudTrail({ ...r, responseElements: undefined }) as string) as object);
    expect(keys).not.toContain('responseElements');
    expect(keys).toEqual(CLOUDTRAIL_KEY_ORDER.filter((k) => keys.includes(k)));
  });

  it('rejects what is not a single record, saying what it expected', () => {
    expect(() => parseCloudTrail('not json')).toThrow(FormatError);
    expect(() => parseCloudTrail(EC2_FILE)).toThrow(/parseCloudTrailFile/);
    expect(() => parseCloudTrail(CONFIG_EXAMPLE.replace('"2014-12-11T18:32:57Z"', '"2014-12-11 18:32:57"'))).toThrow(/ISO-8601/);
    expect(() => parseCloudTrail(CONFIG_EXAMPLE.replace('"type": "IAMUser"', '"kind": "IAMUser"'))).toThrow(/userIdentity.type/);
    expect(() => parseCloudTrail(CONFIG_EXAMPLE.replace('"eventName"', '"eventNom"'))).toThrow(/lacks eventName/);
    // An identity type CloudTrail adds later is kept as written, not refused.
    expect(parseCloudTrail(CONFIG_EXAMPLE.replace('"type": "IAMUser"', '"type": "Person"')).userIdentity.type).toBe('Person');
  });

  it('writes whole-second UTC times', () => {
    expect(cloudTrailTime(Date.UTC(2026, 4, 1, 12, 0, 0, 999))).toBe('2026-05-01T12:00:00Z');
  });

  it('round-trips records (property)', () => {
    const base = parseCloudTrail(SIGNIN_FAILURE);
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.ipV4(), fc.boolean(), fc.option(fc.constantFrom('AccessDenied', 'ThrottlingException'), { nil: undefined }),
      (t, ip, readOnly, errorCode) => {
        const r: CloudTrailRecord = { ...base, eventTime: cloudTrailTime(t), sourceIPAddress: ip, readOnly, ...(errorCode ? { errorCode } : {}) };
        const line = serializeCloudTrail(r);
        expect(serializeCloudTrail(parseCloudTrail(line))).toBe(line);
        expect(cloudtrailFormat.normalize(parseCloudTrail(line)).time).toBe(Math.floor(t / 1000) * 1000);
      },
    ));
  });
});
