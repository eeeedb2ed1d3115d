package dev.dq.spring;

import dev.dq.core.client.PayloadCodec;
import dev.dq.core.client.TypedHandler;
import dev.dq.core.worker.NamedTaskHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The handler beans of an application, by task type. Two beans for one type are a mistake that
 * would otherwise go unseen (the pool keeps the last), so start-up fails naming both.
 */
final class Handlers {
  private Handlers() {}

  static Map<String, NamedTaskHandler> collect(ListableBeanFactory beans, PayloadCodec codec) {
    Map<String, NamedTaskHandler> byType = new LinkedHashMap<>();
    Map<String, String> beanOfType = new LinkedHashMap<>();
    beans
        .getBeansOfType(NamedTaskHandler.class)
        .forEach((bean, handler) -> add(byType, beanOfType, bean, handler));
    @SuppressWarnings("rawtypes")
    Map<String, TypedHandler> typed = beans.getBeansOfType(TypedHandler.class);
    typed.forEach((bean, handler) -> add(byType, beanOfType, bean, handler.adapt(codec)));
    return byType;
  }

  private static void add(
      Map<String, NamedTaskHandler> byType,
      Map<String, String> beanOfType,
      String bean,
      NamedTaskHandler handler) {
    String type = handler.type();
    String earlier = beanOfType.putIfAbsent(type, bean);
    if (earlier != null) {
      throw new IllegalStateException(
          "beans '" + earlier + "' and '" + bean + "' both handle task type '" + type + "'");
    }
    byType.put(type, handler);
  }
}
