import { describe, expect, it } from 'vitest';
import {
  answeringComponent,
  describeFailure,
  failureMessage,
  RequestFailure,
} from '../../../src/mattermost/request-failure.js';

// Who answered a failed request, and the one line an operator reads: NGINX's 502 page must not
// come out as "<html>", and Mattermost's AppError must keep its message and id.

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const APP_ERROR = {
  id: 'api.post.create_post.root_id.app_error',
  message: 'Invalid RootId parameter.',
  detailed_error: '',
  request_id: 'x',
  status_code: 400,
};

describe('a failed request', () => {
  it('tells Mattermost from the load balancer and from an HTML page of an unknown proxy', () => {
    expect(answeringComponent(APP_ERROR, undefined)).toBe('mattermost');
    expect(answeringComponent(NGINX_502, 'nginx/1.22.1')).toBe('load balancer');
    expect(answeringComponent(NGINX_502, undefined)).toBe('proxy');
    expect(answeringComponent('Too many requests', undefined)).toBe('unknown');
  });

  it('takes the message from the AppError, the HTML title or a short text body', () => {
    expect(failureMessage(APP_ERROR, 400)).toBe('Invalid RootId parameter.');
    expect(failureMessage(NGINX_502, 502)).toBe('502 Bad Gateway');
    expect(failureMessage('Too many requests\n', 429)).toBe('Too many requests');
    expect(failureMessage('', 503)).toBe('HTTP 503');
  });

  it('says method, endpoint, status, component and message on one line', () => {
    const lb = new RequestFailure(
      'http://lb',
      'POST',
      '/api/v4/posts',
      502,
      'load balancer',
      'nginx/1.22.1',
      {
        message: failureMessage(NGINX_502, 502),
        url: 'http://lb/api/v4/posts',
      },
    );
    expect(describeFailure(lb)).toBe(
      'POST /api/v4/posts: 502 from the load balancer (not Mattermost: no app node answered it), Server: nginx/1.22.1: 502 Bad Gateway',
    );
    expect(lb.status_code).toBe(502);
    const app = new RequestFailure('http://lb', 'POST', '/api/v4/posts', 400, 'mattermost', undefined, {
      message: APP_ERROR.message,
      server_error_id: APP_ERROR.id,
      url: 'http://lb/api/v4/posts',
    });
    expect(describeFailure(app)).toBe(
      'POST /api/v4/posts: 400 from Mattermost (the app answered with an error): Invalid RootId parameter. [api.post.create_post.root_id.app_error]',
    );
    expect(describeFailure(new Error('first\nsecond'))).toBe('first');
  });
});
