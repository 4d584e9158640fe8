// The messages of an event file, as a protobufjs JSON descriptor, field numbers from TensorFlow's
// core/util/event.proto, core/framework/summary.proto and the histogram in the same file.
import protobuf from 'protobufjs';

const descriptor = {
  nested: {
    tensorboard: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: { fields: { value: { rule: 'repeated', type: 'Value', id: 1 } } },
        Value: {
          fields: {
            tag: { type: 'string', id: 1 },
            simpleValue: { type: 'float', id: 2 },
            image: { type: 'Image', id: 4 },
            histo: { type: 'HistogramProto', id: 5 },
          },
        },
        Image: {
          fields: {
            height: { type: 'int32', id: 1 },
            width: { type: 'int32', id: 2 },
            colorspace: { type: 'int32', id: 3 },
            encodedImageString: { type: 'bytes', id: 4 },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
      },
    },
  },
};

/** The `Event` message type. @internal */
export const EventProto = protobuf.Root.fromJSON(descriptor).lookupType('tensorboard.Event');
