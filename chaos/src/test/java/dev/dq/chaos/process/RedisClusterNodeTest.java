package dev.dq.chaos.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.chaos.process.RedisCluster.Node;
import org.junit.jupiter.api.Test;

final class RedisClusterNodeTest {

  @Test
  void parse_primaryLine_readsPortFlagsAndSlots() {
    Node node =
        Node.parse(
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:37017@41002,host myself,master"
                + " - 0 0 1 connected 0-5460 6000 [5461->-0b1f]");

    assertThat(node.port()).isEqualTo(37017);
    assertThat(node.flags()).isEqualTo("myself,master");
    assertThat(node.holds(0)).isTrue();
    assertThat(node.holds(5460)).isTrue();
    assertThat(node.holds(6000)).isTrue();
    assertThat(node.holds(5461)).isFalse();
    assertThat(node.holds(6001)).isFalse();
  }

  @Test
  void parse_replicaLine_holdsNoSlot() {
    Node node =
        Node.parse(
            "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:36925@40001 slave"
                + " e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238316232 2 connected");

    assertThat(node.port()).isEqualTo(36925);
    assertThat(node.slots()).isEmpty();
    assertThat(node.holds(0)).isFalse();
  }
}
