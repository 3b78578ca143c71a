import Engine
import Runtime
import XCTest

final class ModelBindingTests: XCTestCase {
    func testTheParallelCNNTransformerBuiltFromLayersHasTheNotebooksParameterCount() throws {
        let run = try BindingRun()
        let output = run.run("""
            fn block(cin, cout, pool, p = 0.3) = seq(conv2d(cin, cout, 3, padding: 1), batchnorm2d(cout), relu(), maxpool2d(pool), dropout(p))
            let cnn = seq(block(1, 16, 2), block(16, 32, 4), block(32, 64, 4), block(64, 64, 4), flatten())
            let tfm = seq(maxpool2d([2, 4]), squeeze(1), permute([0, 2, 1]),
                          transformer_encoder(d_model: 64, heads: 4, ff: 512, dropout: 0.4, layers: 4), mean(1))
            let model = seq(parallel(cnn, tfm), linear(320, 8))
            print(model.parameters_count)
            print(model.summary([1, 1, 128, 563]))
            print(model(zeros([2, 1, 128, 563])).shape)
            """)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "395176")
        XCTAssertTrue(output.contains("395,176 trainable parameters"), output)
        XCTAssertTrue(output.contains("[1, 2, 140, 64]") == false && output.contains("[1, 140, 64]"), "transformer branch is batch-first (B, T, 64)")
        XCTAssertEqual(lines.last, "[2, 8]")
    }

    func testTheFourNotebookModelsHaveTheirCounts() throws {
        let run = try BindingRun()
        let output = run.run("""
            for make in [parallel_cnn_transformer, parallel_cnn_attention_lstm, stacked_cnn_lstm, stacked_cnn_attention_lstm] {
                print(make(classes: 8).parameters_count)
            }
            print(len(parallel_cnn_transformer().state_dict()))
            print("out_linear.weight" in parallel_cnn_transformer().state_dict())
            """)
        XCTAssertEqual(output, "395176\n263593\n147816\n582761\n" + "\(try notebookStateDictSize())\ntrue\n")
    }

    private func notebookStateDictSize() throws -> Int { try ParallelCNNTransformer().stateDict().count }

    func testAShapeErrorNamesTheScriptLocationTheLayerAndBothShapes() throws {
        let run = try BindingRun()
        let report = run.failure("""
            let model = seq(linear(4, 8), relu(), linear(9, 2))
            let x = zeros([3, 4])
            let y = model(x)
            """)
        XCTAssertTrue(report.hasPrefix("test.sers:3:9: error: "), report)
        XCTAssertTrue(report.contains("2 (Linear(in: 9, out: 2))"), report)
        XCTAssertTrue(report.contains("(…, 9)") && report.contains("[3, 8]"), report)
        XCTAssertTrue(report.contains(" 3 | let y = model(x)"), report)
    }

    func testTensorArithmeticMethodsAndIndexing() throws {
        let run = try BindingRun()
        let output = run.run("""
            let t = tensor([[1, 2], [3, 4]])
            print((t * 2 + 1).tolist(), (1 - t).tolist(), (t / t).tolist(), (-t).tolist(), (t ** 2).tolist())
            print(matmul(t, t).tolist(), t[1].tolist(), t[-1][0].item(), t[[1, 0]].tolist())
            print(t.sum().item(), t.mean(0).tolist(), t.sum(1, keepdim: true).shape, t.max().item(), t.argmax(1).tolist(), t.argmax())
            print(t.transpose(0, 1).tolist(), t.reshape([4]).tolist(), t.unsqueeze(0).shape, zeros([1, 3, 1]).squeeze().shape)
            print(tensor([[0.0, 0.0]]).softmax(1).tolist(), relu(tensor([-1, 2])).tolist(), tanh(0.0), type(tanh()))
            print(arange(3).tolist(), arange(1, 2, 0.5).tolist(), ones([2]).tolist(), full([2], 7).tolist(), len(zeros([5, 2])))
            print(randn([3], seed: 4).tolist() == randn([3], seed: 4).tolist())
            """)
        XCTAssertEqual(output, """
            [[3.0, 5.0], [7.0, 9.0]] [[0.0, -1.0], [-2.0, -3.0]] [[1.0, 1.0], [1.0, 1.0]] [[-1.0, -2.0], [-3.0, -4.0]] [[1.0, 4.0], [9.0, 16.0]]
            [[7.0, 10.0], [15.0, 22.0]] [3.0, 4.0] 3.0 [[3.0, 4.0], [1.0, 2.0]]
            10.0 [2.0, 3.0] [2, 1] 4.0 [1.0, 1.0] 3
            [[1.0, 3.0], [2.0, 4.0]] [1.0, 2.0, 3.0, 4.0] [1, 2, 2] [3]
            [[0.5, 0.5]] [0.0, 2.0] 0.0 Module
            [0.0, 1.0, 2.0] [1.0, 1.5] [1.0, 1.0] [7.0, 7.0] 5
            true

            """)
        XCTAssertTrue(run.failure("tensor([[1, 2], [3]])").contains("ragged"))
        XCTAssertTrue(run.failure("tensor([1, 2]) + tensor([1, 2, 3])").contains("[2] and [3]"))
        XCTAssertTrue(run.failure("zeros([2])[5]").contains("out of range"))
    }

    func testPrintingAModelShowsItsTableAndCount() throws {
        let run = try BindingRun()
        let output = run.run("""
            let model = seq(linear(4, 16), leaky_relu(), dropout(0.1), linear(16, 3), softmax(dim: 1))
            let y = model(zeros([5, 4]))
            print(model)
            print(model.eval().training, model.train().training)
            print(sorted(model.state_dict().keys()))
            """)
        XCTAssertTrue(output.contains("Linear(in: 16, out: 3)  [1, 3]"), output)
        XCTAssertTrue(output.contains("131 trainable parameters"), output)
        XCTAssertTrue(output.contains("false true"), output)
        XCTAssertTrue(output.contains("[\"0.bias\", \"0.weight\", \"3.bias\", \"3.weight\"]"), output)
    }

    func testRecurrentAndAttentionLayersCompose() throws {
        let run = try BindingRun()
        let output = run.run("""
            let model = seq(lstm(6, 5, bidirectional: true), dropout(0.1), attention_pool(10), linear(10, 3))
            print(model(randn([2, 7, 6], seed: 1)).shape, model.parameters_count)
            let last = seq(lstm(6, 5, layers: 2), last_step())
            print(last(randn([2, 7, 6], seed: 1)).shape)
            let tcnn = seq(time_distributed(seq(conv2d(1, 2, [3, 5], padding: [1, 2]), avgpool2d(2), flatten())), multihead_attention(16, 4))
            print(tcnn(zeros([2, 3, 1, 4, 8])).shape)
            """)
        // BiLSTM: 2 directions × (4·5·6 + 4·5·5 + 2·4·5) = 520; attention score 11; linear 33.
        XCTAssertEqual(output, "[2, 3] 564\n[2, 5]\n[2, 3, 16]\n")
    }

    func testAttentionTakesKeysValuesMasksAndReturnsWeights() throws {
        let run = try BindingRun()
        let output = run.run("""
            let attn = multihead_attention(8, 2)
            let x = randn([2, 3, 8], seed: 1)
            let memory = randn([2, 5, 8], seed: 2)
            let mask = padding_mask([5, 2], 5)
            print(mask[1])
            let (out, w) = attn(x, key: memory, key_padding_mask: mask, need_weights: true)
            print(out.shape, w.shape, w[1][0].tolist()[2:], round(w[1][0].sum().item(), 5))
            print(attn(x, key: memory, value: memory, key_padding_mask: mask).tolist() == out.tolist())
            print(attn(x, key: memory, attn_mask: zeros([3, 5])).tolist() == attn(x, key: memory).tolist())
            print(attn(x, attn_mask: [[false, true, true], [false, false, true], [false, false, false]]).shape)
            let enc = transformer_encoder(d_model: 8, heads: 2, ff: 16, dropout: 0.0)
            print(enc(memory, key_padding_mask: mask).shape, enc(memory, key_padding_mask: mask).tolist() == enc(memory).tolist())
            """)
        XCTAssertEqual(output, """
            [false, false, true, true, true]
            [2, 3, 8] [2, 3, 5] [0.0, 0.0, 0.0] 1.0
            true
            true
            [2, 3, 8]
            [2, 5, 8] false

            """)
        let setup = "let attn = multihead_attention(8, 2)\nlet x = randn([2, 3, 8], seed: 1)\n"
        let notAttention = run.failure("linear(4, 2)(zeros([1, 4]), key_padding_mask: [[false]])")
        XCTAssertTrue(notAttention.contains("'key_padding_mask' is for multihead_attention and transformer_encoder layers, not Linear(in: 4, out: 2)"),
                      notAttention)
        let ints = run.failure(setup + "attn(x, key_padding_mask: [[0, 1, 0], [0, 0, 0]])")
        XCTAssertTrue(ints.contains("'key_padding_mask' holds ints"), ints)
        let shape = run.failure(setup + "attn(x, key_padding_mask: padding_mask([3, 3], 4))")
        XCTAssertTrue(shape.contains("MultiheadAttention(embed: 8, heads: 2") && shape.contains("got [2, 4]"), shape)
        let encoderKey = run.failure("transformer_encoder(d_model: 8, heads: 2)(zeros([1, 2, 8]), key: zeros([1, 2, 8]))")
        XCTAssertTrue(encoderKey.contains("'key' is for multihead_attention layers"), encoderKey)
        XCTAssertTrue(run.failure("padding_mask([6], 5)").contains("padding_mask: lengths [6] must lie in 0...5"))
    }

    func testRecurrentLayersTakeAndReturnStates() throws {
        let run = try BindingRun()
        let output = run.run("""
            let rnn = lstm(3, 4, layers: 2, bidirectional: true)
            let x = randn([2, 6, 3], seed: 1)
            let (y, (h, c)) = rnn(x, return_state: true)
            print(y.shape, h.shape, c.shape)
            print(rnn(x, state: (zeros([4, 2, 4]), zeros([4, 2, 4]))).tolist() == y.tolist())
            let g = gru(3, 5, batch_first: false)
            let (z, hn) = g(x, return_state: true)
            print(z.shape, hn.shape, g.parameters_count)
            let (z2, hn2) = g(x, state: hn, return_state: true)
            print(z2.tolist() == z.tolist(), z2.shape)
            let uni = lstm(3, 4)
            let (early, late) = (randn([2, 4, 3], seed: 4), randn([2, 2, 3], seed: 5))
            let (a, s) = uni(early, return_state: true)
            let (b, s2) = uni(late, state: s, return_state: true)
            let (whole, s3) = uni(cat([early, late], dim: 1), return_state: true)
            print(round((s2[0] - s3[0]).abs().max().item(), 5), round((s2[1] - s3[1]).abs().max().item(), 5))
            """)
        // GRU: 3·5·3 + 3·5·5 + 2·3·5 = 150 parameters.
        XCTAssertEqual(output, "[2, 6, 8] [4, 2, 4] [4, 2, 4]\ntrue\n[2, 6, 5] [1, 6, 5] 150\nfalse [2, 6, 5]\n0.0 0.0\n")
        let projected = run.run("""
            let p = lstm(3, 4, bidirectional: true, proj_size: 2)
            let (py, (ph, pc)) = p(randn([2, 6, 3], seed: 1), state: (zeros([2, 2, 2]), zeros([2, 2, 4])), return_state: true)
            print(py.shape, ph.shape, pc.shape, p.state_dict()["weight_hr_l0_reverse"].shape)
            """)
        XCTAssertEqual(projected, "[2, 6, 4] [2, 2, 2] [2, 2, 4] [2, 4]\n")
        let setup = "let rnn = lstm(3, 4)\nlet x = randn([2, 6, 3], seed: 1)\n"
        let single = run.failure(setup + "rnn(x, state: zeros([1, 2, 4]))")
        XCTAssertTrue(single.contains("an lstm's 'state' must be a pair (h0, c0) of tensors (1, B, 4) and (1, B, 4)"), single)
        let shape = run.failure(setup + "rnn(x, state: (zeros([1, 3, 4]), zeros([1, 2, 4])))")
        XCTAssertTrue(shape.contains("LSTM(3 → 4)") && shape.contains("initial hidden state") && shape.contains("got [1, 3, 4]"), shape)
        let notRecurrent = run.failure("linear(3, 2)(zeros([1, 3]), return_state: true)")
        XCTAssertTrue(notRecurrent.contains("'return_state' is for lstm and gru layers, not Linear(in: 3, out: 2)"), notRecurrent)
        let attention = run.failure("multihead_attention(4, 2)(zeros([1, 2, 4]), state: zeros([1, 1, 4]))")
        XCTAssertTrue(attention.contains("'state' is for lstm and gru layers"), attention)
        let causalLSTM = run.failure(setup + "rnn(x, is_causal: true)")
        XCTAssertTrue(causalLSTM.contains("'is_causal' is for multihead_attention and transformer_encoder layers, not LSTM(3 → 4)"), causalLSTM)
    }

    func testRecurrentLayersTakeLengths() throws {
        let run = try BindingRun()
        let output = run.run("""
            let rnn = lstm(3, 4, layers: 2, bidirectional: true)
            let x = randn([2, 5, 3], seed: 1)
            let (y, (h, c)) = rnn(x, lengths: [5, 2], return_state: true)
            print(y.shape, h.shape, tensor(y[1].tolist()[2:]).abs().max().item())
            let (alone, (ha, ca)) = rnn(tensor(x[1].tolist()[:2]).unsqueeze(0), return_state: true)
            let gap = (tensor(y[1].tolist()[:2]) - alone[0]).abs().max().item()
            print(round(gap, 5), round((h.permute([1, 0, 2])[1] - ha.permute([1, 0, 2])[0]).abs().max().item(), 5))
            let g = gru(3, 4, batch_first: false)
            print(g(randn([4, 3, 3], seed: 2), lengths: [1, 4, 2]).shape)
            """)
        XCTAssertEqual(output, "[2, 5, 8] [4, 2, 4] 0.0\n0.0 0.0\n[4, 3, 4]\n")
        let unbatched = run.run("""
            let rnn = lstm(3, 4, layers: 2, bidirectional: true)
            let (y, (h, c)) = rnn(randn([5, 3], seed: 1), state: (zeros([4, 4]), zeros([4, 4])), return_state: true)
            print(y.shape, h.shape, c.shape, gru(3, 2)(randn([5, 3], seed: 1)).shape)
            """)
        XCTAssertEqual(unbatched, "[5, 8] [4, 4] [4, 4] [5, 2]\n")
        let setup = "let rnn = gru(3, 4)\nlet x = randn([2, 5, 3], seed: 1)\n"
        let count = run.failure(setup + "rnn(x, lengths: [5])")
        XCTAssertTrue(count.contains("GRU(3 → 4)") && count.contains("one length per sequence: 2 for input [2, 5, 3], got 1"), count)
        let range = run.failure(setup + "rnn(x, lengths: [6, 1])")
        XCTAssertTrue(range.contains("lengths must lie in 1...5") && range.contains("got 6 for sequence 0"), range)
        let floats = run.failure(setup + "rnn(x, lengths: [5.0, 1.0])")
        XCTAssertTrue(floats.contains("'lengths' must be a list of ints"), floats)
        let notRecurrent = run.failure("linear(3, 2)(zeros([1, 3]), lengths: [1])")
        XCTAssertTrue(notRecurrent.contains("'lengths' is for lstm and gru layers"), notRecurrent)
    }

    func testTransformerEncoderTakesACausalFlag() throws {
        let run = try BindingRun()
        let output = run.run("""
            let enc = transformer_encoder(d_model: 8, heads: 2, layers: 2, dropout: 0.0)
            let x = randn([2, 4, 8], seed: 1)
            let mask = [[false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]
            print(enc(x, is_causal: true).tolist() == enc(x, attn_mask: mask).tolist(), enc(x, is_causal: true).tolist() == enc(x).tolist())
            let first = enc(x, is_causal: true).permute([1, 0, 2]).tolist()[:2]
            let early = enc(tensor(x.permute([1, 0, 2]).tolist()[:2]).permute([1, 0, 2]), is_causal: true)
            print(round((tensor(first).permute([1, 0, 2]) - early).abs().max().item(), 5))
            """)
        XCTAssertEqual(output, "true false\n0.0\n")
    }

    func testAttentionTakesKeyAndValueWidthsAndACausalFlag() throws {
        let run = try BindingRun()
        let output = run.run("""
            let attn = multihead_attention(8, 2, kdim: 6, vdim: 5)
            let x = randn([2, 3, 8], seed: 1)
            let (out, w) = attn(x, key: randn([2, 7, 6], seed: 2), value: randn([2, 7, 5], seed: 3), need_weights: true)
            print(out.shape, w.shape, attn.parameters_count)
            let causal = multihead_attention(8, 2)
            let (y, cw) = causal(x, is_causal: true, need_weights: true)
            print(cw[0][0].tolist()[1:], y.tolist() == causal(x, attn_mask: [[false, true, true], [false, false, true], [false, false, false]]).tolist())
            """)
        // Separate projections 8·8 + 8·6 + 8·5, in_proj_bias 24, out_proj 8·8 + 8.
        XCTAssertEqual(output, "[2, 3, 8] [2, 3, 7] 248\n[0.0, 0.0] true\n")
        let wrong = run.failure("multihead_attention(8, 2, kdim: 6)(randn([2, 3, 8]), key: randn([2, 7, 8]), value: randn([2, 7, 8]))")
        XCTAssertTrue(wrong.contains("kdim: 6, vdim: 8") && wrong.contains("key (B, S, 6) and value (B, S, 8)") && wrong.contains("key [2, 7, 8]"),
                      wrong)
    }
}
