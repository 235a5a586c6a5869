/** The native types of node-datachannel, named once for the engine's files. */
import type nodeDataChannel from 'node-datachannel';

export type NativePeer = InstanceType<typeof nodeDataChannel.PeerConnection>;
export type NativeTrack = ReturnType<NativePeer['addTrack']>;
export type NativeDataChannel = ReturnType<NativePeer['createDataChannel']>;
