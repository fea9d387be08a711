import { EventStreamParser, type StreamEvent } from '../../packages/node-client/src/event-stream';

describe('EventStreamParser', () => {
  it('yields events split across chunks, with ids, multi-line data and CRLF', () => {
    const events: StreamEvent[] = [];
    const sut = new EventStreamParser((e) => events.push(e));
    sut.push('retry: 1000\n\nid: x-1\nevent: chan');
    sut.push('ged\ndata: {"account_ids":["a"]}\n\n: a comment\r\ndata: one\r\ndata: two\r\n\r\n');
    expect(events).toEqual([
      { id: 'x-1', event: 'changed', data: '{"account_ids":["a"]}' },
      { id: undefined, event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('holds back an event until its blank line arrives', () => {
    const events: StreamEvent[] = [];
    const sut = new EventStreamParser((e) => events.push(e));
    sut.push('event: heartbeat\ndata: {}\n');
    expect(events).toEqual([]);
    sut.push('\n');
    expect(events).toHaveLength(1);
  });
});
