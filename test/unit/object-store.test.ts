/** SigV4 for S3 GETs, checked against AWS's published example (S3 API reference, "GET Object" signature example). */
import { describe, expect, it } from '@jest/globals';
import { objectUrl, signGet } from '../../src/ports/object-store.js';

describe('S3 SigV4 signing', () => {
  it("reproduces AWS's documented signature for GET /test.txt with a Range header", () => {
    const url = new URL('https://examplebucket.s3.amazonaws.com/test.txt');
    const h = signGet(
      url,
      'us-east-1',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      new Date('2013-05-24T00:00:00Z'),
      { Range: 'bytes=0-9' },
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(h['x-amz-date']).toBe('20130524T000000Z');
  });

  it('addresses objects virtual-hosted on AWS and path-style when asked', () => {
    expect(objectUrl({ bucket: 'b', key: 'env:/dev/a b.tfstate', region: 'eu-west-1' }).href).toBe(
      'https://b.s3.eu-west-1.amazonaws.com/env%3A/dev/a%20b.tfstate',
    );
    expect(objectUrl({ bucket: 'b', key: 'k/t.tfstate', region: 'x', endpoint: 'http://127.0.0.1:9000', pathStyle: true }).href).toBe(
      'http://127.0.0.1:9000/b/k/t.tfstate',
    );
  });
});
