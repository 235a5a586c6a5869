import nd from 'node-datachannel';

const sdps = {
  a: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=sendonly\r\na=fingerprint:sha-256 00\r\nc=IN IP4 0.0.0.0\r\na=setup:active\r\na=fingerprint:sha-256 00\r\n',
  b: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=rtpmap:111 opus/48000/2\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:111 opus/48000/2\r\n',
  c: 'v=0\r\n',
};
const which = process.argv[2];
const pc = new nd.PeerConnection('a', {
  iceServers: [],
  disableAutoNegotiation: true,
  enableIceUdpMux: true,
  portRangeBegin: 45001,
  portRangeEnd: 45001,
  bindAddress: '127.0.0.1',
});
const a = new nd.Audio('pa', 'RecvOnly');
a.addOpusCodec(111);
pc.addTrack(a);
pc.onGatheringStateChange(() => {});
pc.setLocalDescription('offer');
try {
  pc.setRemoteDescription(sdps[which], 'answer');
  console.log(which, 'applied; state', pc.signalingState());
} catch (e) {
  console.log(which, 'threw:', e.message);
}
setTimeout(() => {
  console.log(which, 'alive');
  process.exit(0);
}, 300);
